using MlTutor.Indexing;
using MlTutor.Ingestion;

namespace MlTutor.Cli.Tests;

/// <summary>Re-indexing after edits: only what changed is embedded again, and a crash leftover does not get in the way.</summary>
public sealed class ReindexTests
{
    [Fact]
    public void Editing_one_note_re_embeds_only_its_changed_chunks()
    {
        var corpus = CliRunner.CopyOfSampleNotes();
        var index = CliRunner.NewTempDir();
        var first = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(first.ExitCode == 0, first.ToString());
        var total = first.Json().GetProperty("chunks").GetInt32();
        Assert.Equal(total, first.Json().GetProperty("embedded").GetInt32());
        Assert.False(first.Json().GetProperty("updated").GetBoolean());

        var again = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(again.Json().GetProperty("upToDate").GetBoolean(), again.ToString());

        File.AppendAllText(Path.Combine(corpus, "regularization.md"), "\n## Data augmentation\n\nData augmentation enlarges the training set with label-preserving transformations such as crops and flips.\n");
        File.Delete(Path.Combine(corpus, "evaluation.txt"));
        var update = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(update.ExitCode == 0, update.ToString());
        var report = update.Json();
        Assert.Equal(1, report.GetProperty("changedFiles").GetInt32());
        Assert.Equal(1, report.GetProperty("removedFiles").GetInt32());
        Assert.InRange(report.GetProperty("embedded").GetInt32(), 1, 2);
        Assert.True(report.GetProperty("reused").GetInt32() > 5);
        Assert.True(report.GetProperty("updated").GetBoolean(), "the edit is written as a copy of the last generation changed where notes changed");

        var ask = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "How does data augmentation enlarge the training set?");
        Assert.Contains(ask.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "regularization.md");
        Assert.DoesNotContain("evaluation.txt", ask.Stdout);
    }

    [Fact]
    public void A_renamed_note_and_one_moved_into_a_folder_embed_nothing_and_are_cited_where_they_are_now()
    {
        var corpus = CliRunner.CopyOfSampleNotes();
        var index = CliRunner.NewTempDir();
        var total = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index).Json().GetProperty("chunks").GetInt32();

        File.Move(Path.Combine(corpus, "optimizers.md"), Path.Combine(corpus, "training-optimizers.md"));
        Directory.CreateDirectory(Path.Combine(corpus, "deep learning"));
        File.Move(Path.Combine(corpus, "transformers.md"), Path.Combine(corpus, "deep learning", "transformers.md"));
        var update = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);

        Assert.True(update.ExitCode == 0, update.ToString());
        var report = update.Json();
        Assert.Equal(0, report.GetProperty("embedded").GetInt32());
        Assert.Equal(total, report.GetProperty("reused").GetInt32());
        Assert.Equal(total, report.GetProperty("chunks").GetInt32());
        Assert.Equal(2, report.GetProperty("removedFiles").GetInt32());
        var files = new[] { "What does momentum keep of past gradients?", "Why are dot products scaled in attention?" }
            .Select(q => CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, q).Json()
                .GetProperty("results")[0].GetProperty("file").GetString())
            .ToList();
        Assert.Equal(["training-optimizers.md", "deep learning/transformers.md"], files);
    }

    [Fact]
    public void An_index_cut_by_an_older_chunker_is_re_chunked_in_full()
    {
        var index = CliRunner.CopyOfSampleIndex();
        var manifestPath = Path.Combine(index, File.ReadAllText(Path.Combine(index, "CURRENT")).Trim(), IndexManifest.FileName);
        var manifest = IndexManifest.Read(manifestPath);
        // The host signs its chunks with the chunker's version, so a change to how notes are cut reaches notes that did not change.
        var signed = $"v{Chunker.Version} ";
        Assert.StartsWith(signed, manifest.ChunkingSignature);
        File.WriteAllText(manifestPath, (manifest with { ChunkingSignature = $"v{Chunker.Version - 1} " + manifest.ChunkingSignature[signed.Length..] }).ToJson());

        var again = CliRunner.Run("index", "--json", "--index", index);
        Assert.True(again.ExitCode == 0, again.ToString());
        var report = again.Json();
        Assert.False(report.GetProperty("upToDate").GetBoolean(), again.ToString());
        Assert.Equal(manifest.Chunks, report.GetProperty("embedded").GetInt32());
        Assert.Equal(0, report.GetProperty("reused").GetInt32());
    }

    [Fact]
    public void A_generation_left_behind_by_a_crash_is_ignored_and_removed()
    {
        var index = CliRunner.CopyOfSampleIndex();
        var current = File.ReadAllText(Path.Combine(index, "CURRENT")).Trim();
        // A build that died half way: a generation folder with its marker (written first), a truncated database and no manifest.
        var leftover = Path.Combine(index, "g-20000101000000000-1");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "mltutor-generation"), "");
        File.WriteAllBytes(Path.Combine(leftover, "chunks.db"), [1, 2, 3]);
        // One killed between creating its folder and marking it, or at the end of deleting it: named so, and empty.
        var unmarked = Path.Combine(index, "g-20000101000000001-2");
        Directory.CreateDirectory(unmarked);

        var ask = CliRunner.Run("ask", "--json", "--index", index, "What is early stopping?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT")).Trim());

        var rebuild = CliRunner.Run("index", "--rebuild", "--index", index);
        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        Assert.False(Directory.Exists(leftover));
        Assert.False(Directory.Exists(unmarked));
        Assert.Single(Directory.GetDirectories(index, "g-*"));
    }

    [Fact]
    public void A_truncated_vector_file_is_repaired_by_index_and_by_the_update_before_ask()
    {
        var index = CliRunner.CopyOfSampleIndex();
        string Generation() => Path.Combine(index, File.ReadAllText(Path.Combine(index, "CURRENT")).Trim());
        void Truncate(string file) => File.WriteAllBytes(Path.Combine(Generation(), file), File.ReadAllBytes(Path.Combine(Generation(), file))[..100]);

        Truncate("vectors.faiss");
        var repair = CliRunner.Run("index", "--json", "--index", index);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.False(repair.Json().GetProperty("upToDate").GetBoolean(), repair.ToString());
        Assert.Equal(0, repair.Json().GetProperty("embedded").GetInt32());
        Assert.Contains("vectors.faiss", repair.Stderr);

        Truncate("windows.faiss");
        var ask = CliRunner.Run("ask", "--json", "--index", index, "What is early stopping?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.NotEmpty(ask.Json().GetProperty("citations").EnumerateArray());
        Assert.True(CliRunner.Run("index", "--json", "--index", index).Json().GetProperty("upToDate").GetBoolean());
    }

    [Fact]
    public void A_note_touched_without_a_change_is_read_once_and_then_known_by_its_new_time()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        var note = Path.Combine(corpus, "optimizers.md");
        var current = File.ReadAllText(Path.Combine(index, "CURRENT"));
        // A checkout or a touch: a new time, the same content.
        var touched = DateTime.UtcNow.AddMinutes(-1);
        File.SetLastWriteTimeUtc(note, touched);
        var check = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(check.Json().GetProperty("upToDate").GetBoolean(), check.ToString());

        // Other content of the same size under the same time: only reading the note would find it.
        var text = File.ReadAllText(note);
        Assert.Contains("Adam", text);
        File.WriteAllText(note, text.Replace("Adam", "Adan"));
        File.SetLastWriteTimeUtc(note, touched);
        var next = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(next.Json().GetProperty("upToDate").GetBoolean(), $"the touched note was read again\n{next}");
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT"))); // no generation was written for the touch

        // Its time moving again, it is read, and the change found.
        File.SetLastWriteTimeUtc(note, DateTime.UtcNow.AddSeconds(-30));
        var update = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.False(update.Json().GetProperty("upToDate").GetBoolean(), update.ToString());
        Assert.Equal(1, update.Json().GetProperty("changedFiles").GetInt32());
    }
}
