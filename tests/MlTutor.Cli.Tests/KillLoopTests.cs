using System.Diagnostics;
using MlTutor.Tutoring;
using Xunit.Abstractions;

namespace MlTutor.Cli.Tests;

/// <summary>
/// A build killed outright (SIGKILL: no clean-up runs) at any moment leaves the index in one of two complete states: the
/// one before the build or the one after it, never a mix, never unreadable. The notes are edited between builds, and the
/// kills are spread over a build's whole course: loading, reading the notes, embedding, writing and publishing.
/// </summary>
public sealed class KillLoopTests(ITestOutputHelper output)
{
    private const int Kills = 30;

    /// <summary>The smaller variant of the model: it loads faster, and each of the many builds here loads it.</summary>
    private const string Model = "int8";

    private static readonly string[] Questions = ["What does dropout do during training?", "What does Adam add to RMSprop?", "Which blocks are skipped at random?"];

    /// <summary>The notes the loop cycles through: an edit, an added note, a deleted one.</summary>
    private static readonly Dictionary<string, string?>[] States =
    [
        new() { ["dropout.md"] = "# Dropout\n\nDropout zeroes random activations during training so units cannot co-adapt.\n", ["depth.md"] = null },
        new() { ["dropout.md"] = "# Dropout\n\nDropout zeroes random activations during training so units cannot co-adapt.\n\n## At test time\n\nAt test time dropout is off and activations are used whole.\n", ["depth.md"] = null },
        new() { ["dropout.md"] = null, ["depth.md"] = "# Stochastic depth\n\nStochastic depth skips whole residual blocks at random during training.\n" },
    ];

    [Fact]
    public void Index_killed_at_random_moments_always_leaves_one_of_the_two_complete_states()
    {
        var clock = Stopwatch.StartNew();
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        foreach (var note in new[] { "optimizers.md", "regularization.md" })
            File.Copy(Path.Combine(CliRunner.RepoRoot, "corpus", note), Path.Combine(corpus, note));
        var index = CliRunner.NewTempDir();
        var warnings = new List<string>();
        // One reader for the whole loop, reading the published generation as `search` does after its update: it follows
        // each generation a build publishes, and never updates the index itself (which would hide what a kill left).
        using var reader = new Tutor(new TutorSettings { Corpus = { Directory = corpus }, Index = { Directory = index }, Model = { Variant = Model } }, CliRunner.RepoRoot, warnings.Add);

        // Each state built once, completely: what searches return from it, and when an update reaches each phase.
        var expected = new List<string>[States.Length];
        var timings = new List<BuildTimes>();
        for (var s = 0; s < States.Length; s++)
        {
            Write(corpus, States[s]);
            using var build = new BuildRun(IndexArgs(corpus, index));
            var times = build.WaitToEnd();
            Assert.True(build.ExitCode == 0, $"exit {build.ExitCode}: {build.Stderr}");
            if (s > 0) timings.Add(times);
            expected[s] = Search(reader);
        }
        Assert.Equal(States.Length, expected.Distinct(new ListComparer()).Count());
        // Kills are aimed by the builds seen so far: the first ones load a cold program and run slower than those after.
        var firsts = timings.Select(t => t.FirstEmbedding).ToList();
        var lasts = timings.Select(t => t.LastEmbedding).ToList();
        var writing = Median(timings.Select(t => t.Exit - t.LastEmbedding));
        BuildTimes Typical()
        {
            // The two medians come from different builds: embedding never ends before it begins.
            var (first, last) = (Median(firsts), Math.Max(Median(firsts), Median(lasts)));
            return new(first, last, last + writing);
        }

        var held = States.Length - 1;
        var written = held;
        var random = new Random(18);
        var outcomes = new int[2];
        var interrupted = 0;
        var unaimed = 0;
        for (var k = 0; k < Kills; k++)
        {
            // The notes move on to another state even when the last build was killed before it published its own.
            var next = (written + 1) % States.Length;
            if (next == held) next = (next + 1) % States.Length;
            Write(corpus, States[next]);
            written = next;
            // A third of the kills land while the program starts and reads the notes, a third while it embeds, a third
            // from the end of embedding to a little past the build's end: writing the files, publishing, removing the old.
            var phase = (Phase)(k % 3);
            using (var build = new BuildRun(IndexArgs(corpus, index)))
            {
                var killed = build.KillDuring(phase, random.NextDouble(), Typical());
                interrupted += killed == true ? 1 : 0;
                // An update with nothing to embed (a section removed) has no embedding phase to aim at: it ran to its end,
                // and the kill is aimed again at the next build.
                if (killed is null)
                {
                    Assert.True(build.ExitCode == 0, $"exit {build.ExitCode}: {build.Stderr}");
                    k--;
                    Assert.True(++unaimed <= Kills, $"{unaimed} builds had nothing to embed");
                }
                // A kill while starting stops the builds that would have begun embedding late: they would pull the time down.
                if (phase != Phase.Starting && build.FirstEmbedding is { } first) firsts.Add(first);
                if (phase == Phase.Writing && build.LastEmbedding is { } last) lasts.Add(last);
            }

            var found = Search(reader);
            var isBefore = found.SequenceEqual(expected[held]);
            var isAfter = found.SequenceEqual(expected[next]);
            Assert.True(isBefore || isAfter,
                $"kill {k + 1} ({phase}): the results match neither state {held} nor state {next}:\n{string.Join('\n', found)}");
            Assert.Empty(warnings);
            outcomes[isAfter ? 1 : 0]++;
            if (isAfter) held = next;
        }

        // Back to a complete build: the real program answers from it, and no leftovers of the kills remain.
        var final = CliRunner.Run("index", "--model", Model, "--corpus", corpus, "--index", index);
        Assert.True(final.ExitCode == 0, final.ToString());
        Assert.Equal(expected[written], Search(reader));
        var search = CliRunner.Run("search", "--json", "--model", Model, "--corpus", corpus, "--index", index, Questions[0]);
        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Equal("", search.Stderr);
        var ranked = search.Json().GetProperty("results").EnumerateArray()
            .Select(r => $"{Questions[0]} → {r.GetProperty("file").GetString()}:{r.GetProperty("startLine").GetInt32()}-{r.GetProperty("endLine").GetInt32()} {r.GetProperty("text").GetString()}");
        Assert.Equal(expected[written].Where(line => line.StartsWith(Questions[0] + " → ", StringComparison.Ordinal)), ranked);
        // Half-written generations of killed builds are gone; besides the current one, only the one this reader held
        // during the last build may remain, until a build finds it released.
        var generations = Directory.GetDirectories(index, "g-*");
        Assert.InRange(generations.Length, 1, 2);
        Assert.All(generations, g => Assert.True(File.Exists(Path.Combine(g, "manifest.json")), $"{g} was left half-written"));
        var seen = Typical();
        output.WriteLine($"{Kills} kills ({interrupted} while the build ran; {outcomes[0]} left the state before, {outcomes[1]} the state after; "
            + $"{unaimed} builds with nothing to embed ran to their end), "
            + $"a build takes {seen.Exit:0.00} s, embedding from {seen.FirstEmbedding:0.00} s to {seen.LastEmbedding:0.00} s; "
            + $"{clock.Elapsed.TotalSeconds:0.0} s in all");
        Assert.True(interrupted >= Kills / 2, $"only {interrupted} of {Kills} kills came while the build ran");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void Write(string corpus, Dictionary<string, string?> state)
    {
        foreach (var (file, text) in state)
        {
            var path = Path.Combine(corpus, file);
            if (text is null) File.Delete(path);
            else File.WriteAllText(path, text);
        }
    }

    /// <summary>The ranked passages (file, lines, text) for each question, from the published generation.</summary>
    private static List<string> Search(Tutor reader) =>
        Questions.SelectMany(q => reader.Retrieve(q).Passages.Select(p => $"{q} → {p.Chunk.File}:{p.Chunk.StartLine}-{p.Chunk.EndLine} {p.Chunk.Text}")).ToList();

    private static string[] IndexArgs(string corpus, string index) => ["index", "--model", Model, "--corpus", corpus, "--index", index];

    private enum Phase { Starting, Embedding, Writing }

    /// <summary>Seconds from a build's start to its first and last embedding progress line, and to its end.</summary>
    private sealed record BuildTimes(double FirstEmbedding, double LastEmbedding, double Exit);

    /// <summary>mltutor running, with the moments its progress lines on stderr came.</summary>
    private sealed class BuildRun : IDisposable
    {
        private readonly Process _process;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TaskCompletionSource<double> _firstEmbedding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<double> _lastEmbedding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Text.StringBuilder _stderr = new();

        public BuildRun(string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(CliRunner.Program);
            foreach (var a in args) start.ArgumentList.Add(a);
            start.Environment["MLTUTOR_HOME"] = CliRunner.RepoRoot;
            start.Environment["XDG_DATA_HOME"] = CliRunner.DataHome;
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_stderr) _stderr.AppendLine(e.Data);
                // "embedding: 3/7 texts …": the first such line when embedding starts, n/n when it ends.
                if (!e.Data.StartsWith("embedding: ", StringComparison.Ordinal)) return;
                _firstEmbedding.TrySetResult(_clock.Elapsed.TotalSeconds);
                var counts = e.Data["embedding: ".Length..].Split(' ')[0].Split('/');
                if (counts[0] == counts[1]) _lastEmbedding.TrySetResult(_clock.Elapsed.TotalSeconds);
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int ExitCode => _process.ExitCode;

        public string Stderr
        {
            get { lock (_stderr) return _stderr.ToString(); }
        }

        public BuildTimes WaitToEnd()
        {
            _process.WaitForExit();
            var exit = _clock.Elapsed.TotalSeconds;
            return new BuildTimes(Seen(_firstEmbedding) ?? exit, Seen(_lastEmbedding) ?? exit, exit);
        }

        /// <summary>When the build began and finished embedding, once it did.</summary>
        public double? FirstEmbedding => Seen(_firstEmbedding);
        public double? LastEmbedding => Seen(_lastEmbedding);

        private static double? Seen(TaskCompletionSource<double> moment) => moment.Task.IsCompletedSuccessfully ? moment.Task.Result : null;

        /// <summary>Kills the build with SIGKILL at <paramref name="fraction"/> of <paramref name="phase"/> (as long as it
        /// took in <paramref name="typical"/>); whether it was still running then, or null when it ended without reaching
        /// the phase.</summary>
        public bool? KillDuring(Phase phase, double fraction, BuildTimes typical)
        {
            var exited = _process.WaitForExitAsync();
            var (from, length) = phase switch
            {
                Phase.Starting => (Task.CompletedTask, typical.FirstEmbedding),
                Phase.Embedding => ((Task)_firstEmbedding.Task, typical.LastEmbedding - typical.FirstEmbedding),
                _ => (_lastEmbedding.Task, (typical.Exit - typical.LastEmbedding) * 1.5),
            };
            Task.WaitAny(from, exited);
            if (!from.IsCompleted) return null;
            var running = !_process.WaitForExit(TimeSpan.FromSeconds(fraction * length));
            if (running) _process.Kill(); // SIGKILL
            _process.WaitForExit();
            return running;
        }

        public void Dispose() => _process.Dispose();
    }

    private sealed class ListComparer : IEqualityComparer<List<string>>
    {
        public bool Equals(List<string>? x, List<string>? y) => x!.SequenceEqual(y!);
        public int GetHashCode(List<string> list) => list.Count;
    }
}
