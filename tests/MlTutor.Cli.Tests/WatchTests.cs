using System.Diagnostics;
using Xunit.Abstractions;

namespace MlTutor.Cli.Tests;

/// <summary>
/// <c>watch</c> and chat pick up edits by themselves: an edit saved as editors save it (a temporary file renamed over the
/// note), an added note and a deleted one are re-indexed in the background, said once in a quiet line, and answerable
/// without anyone running <c>index</c>. SIGTERM stops the watch cleanly.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // env --default-signal, kill
public sealed class WatchTests(ITestOutputHelper output)
{
    private const string Augmentation = "\n## Data augmentation\n\nData augmentation enlarges the training set with label-preserving transformations such as crops and flips.\n";
    private const string AugmentationQuestion = "How does data augmentation enlarge the training set?";
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    /// <summary>Saves as editors do: the whole text to a temporary file beside the note, renamed over it.</summary>
    private static void SaveLikeAnEditor(string path, string text)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.swp");
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    [Fact]
    public void Watch_re_indexes_an_edit_an_added_note_and_a_deleted_note_and_stops_on_sigterm()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var watch = new RunningProgram("watch", "--corpus", corpus, "--index", index);
        watch.WaitForLine(l => l.StartsWith("watching ", StringComparison.Ordinal), Generous, stderr: true);

        var note = Path.Combine(corpus, "regularization.md");
        var clock = Stopwatch.StartNew();
        SaveLikeAnEditor(note, File.ReadAllText(note) + Augmentation);
        var edited = watch.WaitForLine(l => l.Contains("regularization.md"), Generous);
        var reindexedAfter = clock.Elapsed.TotalSeconds;
        Assert.Equal("re-indexed regularization.md: 1 passage", edited);
        var search = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, AugmentationQuestion);
        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Equal("", search.Stderr); // already up to date: the search built nothing
        Assert.Contains("crops and flips", search.Json().GetProperty("results")[0].GetProperty("text").GetString());

        File.WriteAllText(Path.Combine(corpus, "dropout.md"), "# Dropout\n\nDropout zeroes random activations during training so units cannot co-adapt.\n");
        Assert.Equal("re-indexed dropout.md: 1 passage", watch.WaitForLine(l => l.Contains("dropout.md"), Generous));
        File.Delete(Path.Combine(corpus, "evaluation.txt"));
        Assert.Equal("re-indexed evaluation.txt: removed", watch.WaitForLine(l => l.Contains("evaluation.txt"), Generous));

        var exitCode = watch.Signal("TERM", Generous);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{watch.Stderr}");
        Assert.EndsWith("stopped watching", watch.Stderr.Trim());
        // Said once each: the editor's burst of events (a file written, then renamed) was one update.
        Assert.Equal(3, watch.Stdout.Trim().Split('\n').Length);
        Assert.False(File.Exists(Path.Combine(index, ".lock")));
        var status = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(status.Json().GetProperty("upToDate").GetBoolean(), status.ToString());
        output.WriteLine($"the edit was re-indexed {reindexedAfter:0.00} s after the save");
    }

    [Fact]
    public void Set_to_poll_watch_checks_the_notes_at_its_interval_and_re_indexes_an_edit()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        var polling = new Dictionary<string, string> { ["MLTUTOR__Corpus__Watch"] = "poll", ["MLTUTOR__Corpus__PollSeconds"] = "0.5" };
        using var watch = new RunningProgram(polling, "watch", "--corpus", corpus, "--index", index);
        var started = watch.WaitForLine(l => l.StartsWith("watching", StringComparison.Ordinal), Generous, stderr: true);
        Assert.StartsWith("watching: the notes in ", started);
        Assert.EndsWith(" are checked every 0.5 s (Corpus:Watch is poll) (Ctrl-C to stop)", started);

        var note = Path.Combine(corpus, "regularization.md");
        File.AppendAllText(note, Augmentation);
        Assert.Equal("re-indexed regularization.md: 1 passage", watch.WaitForLine(l => l.Contains("regularization.md"), Generous));

        Assert.Equal(0, watch.Signal("TERM", Generous));
        Assert.DoesNotContain("warning", watch.Stderr);
    }

    [Fact]
    public void Chat_answers_from_an_edit_saved_while_it_runs()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var chat = new RunningProgram("chat", "--corpus", corpus, "--index", index);
        chat.WaitForLine(l => l.StartsWith("MlTutor over", StringComparison.Ordinal), Generous);

        var note = Path.Combine(corpus, "regularization.md");
        var clock = Stopwatch.StartNew();
        SaveLikeAnEditor(note, File.ReadAllText(note) + Augmentation);
        // Asked again and again from the save on: each question is answered at once, from the last complete index, until
        // the one the watch publishes holds the edit. "/k 5" after each question says when its answer is complete.
        var asked = 0;
        double? answeredAfter = null;
        while (answeredAfter is null && clock.Elapsed < Generous)
        {
            chat.WriteLine(AugmentationQuestion);
            chat.WriteLine("/k 5");
            asked++;
            chat.WaitForCount(l => l.Contains("5 passages per question"), asked, Generous);
            if (chat.Stdout.Contains("crops and flips")) answeredAfter = clock.Elapsed.TotalSeconds;
        }
        Assert.True(answeredAfter is not null, $"no answer used the edit within {Generous.TotalSeconds} s:\n{chat.Stdout}\n{chat.Stderr}");
        chat.WriteLine("/quit");
        Assert.Equal(0, chat.WaitForExit(Generous));
        Assert.Contains("re-indexed regularization.md: 1 passage", chat.Stdout);
        Assert.DoesNotContain("indexed 5 files", chat.Stderr); // no question ran the update itself
        output.WriteLine($"the edit was answerable {answeredAfter:0.00} s after the save ({asked} questions asked)");
    }

    /// <summary>mltutor running in the background, its output read line by line as it comes.</summary>
    private sealed class RunningProgram : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _stdout = [];
        private readonly List<string> _stderr = [];

        public RunningProgram(params string[] args) : this(new Dictionary<string, string>(), args) { }

        public RunningProgram(IReadOnlyDictionary<string, string> environment, params string[] args)
        {
            // The signals' default actions are restored: a test runner started in the background may have inherited them ignored.
            var start = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
            foreach (var a in (string[])["--default-signal=INT,TERM", "dotnet", CliRunner.Program, .. args])
                start.ArgumentList.Add(a);
            start.Environment["MLTUTOR_HOME"] = CliRunner.RepoRoot;
            start.Environment["XDG_DATA_HOME"] = CliRunner.DataHome;
            start.Environment["COLUMNS"] = "1000"; // an answer's sentence on one line
            foreach (var (name, value) in environment) start.Environment[name] = value;
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.Add(e.Data); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.Add(e.Data); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Stdout { get { lock (_stdout) return string.Join('\n', _stdout); } }
        public string Stderr { get { lock (_stderr) return string.Join('\n', _stderr); } }

        public void WriteLine(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        /// <summary>The first line of stdout (or stderr) matching <paramref name="match"/>, waited for.</summary>
        public string WaitForLine(Func<string, bool> match, TimeSpan timeout, bool stderr = false)
        {
            var lines = stderr ? _stderr : _stdout;
            var clock = Stopwatch.StartNew();
            while (true)
            {
                lock (lines)
                    if (lines.FirstOrDefault(match) is { } line) return line;
                if (clock.Elapsed > timeout || _process.HasExited && clock.Elapsed > TimeSpan.FromSeconds(1))
                    throw new Xunit.Sdk.XunitException($"no such line within {timeout.TotalSeconds} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
                Thread.Sleep(20);
            }
        }

        /// <summary>Waits until <paramref name="count"/> lines of stdout match <paramref name="match"/>.</summary>
        public void WaitForCount(Func<string, bool> match, int count, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                lock (_stdout)
                    if (_stdout.Count(match) >= count) return;
                if (clock.Elapsed > timeout || _process.HasExited)
                    throw new Xunit.Sdk.XunitException($"{count} such lines did not come within {timeout.TotalSeconds} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}");
                Thread.Sleep(20);
            }
        }

        public int Signal(string signal, TimeSpan timeout)
        {
            using (var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()])) kill.WaitForExit();
            return WaitForExit(timeout);
        }

        public int WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) throw new Xunit.Sdk.XunitException($"still running after {timeout.TotalSeconds} s\n{Stderr}");
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
