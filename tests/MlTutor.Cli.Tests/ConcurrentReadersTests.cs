using System.Diagnostics;

namespace MlTutor.Cli.Tests;

/// <summary>
/// Readers never wait for or fail because of a writer: questions read the published generation without the writer's
/// lock, a generation a reader holds is never removed under it, and a damaged CURRENT never loses a good generation.
/// Another process's writer or reader is played by this test process taking the same file locks.
/// </summary>
public sealed class ConcurrentReadersTests
{
    private const string DropoutNote = CliRunner.DropoutNote;

    /// <summary>The sample notes and a dropout note, indexed once for the class's tests (each of which edits a copy).</summary>
    private static readonly Lazy<(string Corpus, string Index)> NotesIndexedOnce = new(() =>
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        File.WriteAllText(Path.Combine(corpus, "dropout.md"), DropoutNote);
        var build = CliRunner.Run("index", "--corpus", corpus, "--index", index);
        if (build.ExitCode != 0) throw new InvalidOperationException("indexing the notes failed: " + build);
        return (corpus, index);
    });

    /// <summary>A copy of the sample notes with a dropout note, and a copy of their index, up to date with each other.</summary>
    private static (string Corpus, string Index) IndexedNotes() =>
        (CliRunner.CopyOfNotes(NotesIndexedOnce.Value.Corpus), CliRunner.CopyOfIndex(NotesIndexedOnce.Value.Index));

    /// <summary>The writer's lock, as a build in another process holds it.</summary>
    private static FileStream HoldWriterLock(string index) =>
        new(Path.Combine(index, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    private static string Current(string index) => File.ReadAllText(Path.Combine(index, "CURRENT")).Trim();

    [Fact]
    public void Questions_during_another_processs_build_are_answered_from_the_last_complete_index()
    {
        var (corpus, index) = IndexedNotes();
        using (HoldWriterLock(index))
        {
            var search = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
            Assert.True(search.ExitCode == 0, search.ToString());
            Assert.Equal("", search.Stderr); // nothing changed: not a word about the build

            File.AppendAllText(Path.Combine(corpus, "dropout.md"), "\n## Stochastic depth\n\nStochastic depth skips whole residual blocks at random during training.\n");
            var ask = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
            Assert.True(ask.ExitCode == 0, ask.ToString());
            Assert.NotEmpty(ask.Json().GetProperty("citations").EnumerateArray());
            var warning = Assert.Single(ask.Stderr.Trim().Split('\n'));
            Assert.Contains("another mltutor process is updating the index", warning);

            // Building needs the lock: one clear line.
            Assert.Contains("another mltutor process is writing", UserErrors.AssertOneLine(CliRunner.Run("index", "--corpus", corpus, "--index", index)));
        }
        // The writer gone, the next question brings the index up to date.
        var after = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, "Which blocks does stochastic depth skip?");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("Stochastic depth", after.Json().GetProperty("results")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Eight_questions_while_a_rebuild_runs_are_all_answered()
    {
        var (corpus, index) = IndexedNotes();
        var rebuild = Start("index", "--rebuild", "--corpus", corpus, "--index", index);
        var questions = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => CliRunner.Run(i % 2 == 0 ? "search" : "ask", "--json", "--corpus", corpus, "--index", index, "What does Adam add to RMSprop?")))
            .ToArray();
        Task.WaitAll(questions);
        rebuild.WaitForExit();

        Assert.Equal(0, rebuild.ExitCode);
        foreach (var q in questions.Select(t => t.Result))
        {
            Assert.True(q.ExitCode == 0, q.ToString());
            var json = q.Json();
            var files = json.TryGetProperty("results", out var results)
                ? results.EnumerateArray().Select(r => r.GetProperty("file").GetString())
                : json.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("file").GetString());
            Assert.Contains("optimizers.md", files);
        }
    }

    [Fact]
    public void A_generation_a_reader_holds_is_not_removed_until_it_is_released()
    {
        var (corpus, index) = IndexedNotes();
        var held = Path.Combine(index, Current(index));
        // A reader in another process holds the generation as NotesIndex does: a shared lock on its manifest.
        using (new FileStream(Path.Combine(held, "manifest.json"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            File.AppendAllText(Path.Combine(corpus, "dropout.md"), "\nDropout is turned off at test time.\n");
            Assert.Equal(0, CliRunner.Run("index", "--corpus", corpus, "--index", index).ExitCode);
            Assert.NotEqual(Path.GetFileName(held), Current(index));
            Assert.True(File.Exists(Path.Combine(held, "chunks.db")), "a generation in use was removed");
        }
        File.AppendAllText(Path.Combine(corpus, "dropout.md"), "\nIt scales the kept activations during training.\n");
        Assert.Equal(0, CliRunner.Run("index", "--corpus", corpus, "--index", index).ExitCode);
        Assert.False(Directory.Exists(held)); // released: the next build removes it
        Assert.Single(Directory.GetDirectories(index, "g-*"));
    }

    [Theory]
    [InlineData("g-not-a-generation\n")]
    [InlineData("\u0000\u0000garbage")]
    [InlineData("")]
    public void A_damaged_current_pointer_keeps_the_good_generation_and_embeds_nothing(string damage)
    {
        var (corpus, index) = IndexedNotes();
        var good = Current(index);
        File.WriteAllText(Path.Combine(index, "CURRENT"), damage);

        var result = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, result.Json().GetProperty("embedded").GetInt32());
        Assert.Contains($"{good}, is current again", result.Stderr);
        Assert.Equal(good, Current(index));
        var ask = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(CliRunner.Program);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["MLTUTOR_HOME"] = CliRunner.RepoRoot;
        start.Environment["XDG_DATA_HOME"] = CliRunner.DataHome;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
