using System.Diagnostics;
using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during a build stop it cleanly: exit 130 with "cancelled", nothing published, no lock or
/// half-written generation left, and the index as it was still answers.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // env --default-signal, kill
public sealed class InterruptionTests
{
    [SkippableTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void A_signal_during_a_build_cancels_it_and_keeps_the_index(string signal)
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        var current = File.ReadAllText(Path.Combine(index, "CURRENT"));
        var generations = Directory.GetDirectories(index);
        // The real notes make the next build embed for a minute or more: long enough to be interrupted.
        var realNotes = SharedFolder.Require("corpus");
        foreach (var note in Directory.EnumerateFiles(realNotes))
            File.Copy(note, Path.Combine(corpus, Path.GetFileName(note)));

        var (exitCode, stderr, secondsAfterSignal) = RunAndSignal(signal, "index", "--corpus", corpus, "--index", index);

        Assert.True(exitCode == 130, $"exit {exitCode}\n{stderr}");
        Assert.EndsWith("mltutor: cancelled", stderr.Trim());
        Assert.True(secondsAfterSignal < 30, $"stopped {secondsAfterSignal:0.0} s after the signal");
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT")));
        Assert.Equal(generations, Directory.GetDirectories(index));
        Assert.False(File.Exists(Path.Combine(index, ".lock")));
        // Back to the notes it holds, the kept index is up to date and answers.
        foreach (var note in Directory.EnumerateFiles(realNotes))
            File.Delete(Path.Combine(corpus, Path.GetFileName(note)));
        var search = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, "What does Adam add to RMSprop?");
        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Equal("", search.Stderr);
    }

    /// <summary>Starts mltutor, sends SIG<paramref name="signal"/> once it is embedding, and waits for it to end.</summary>
    private static (int ExitCode, string Stderr, double SecondsAfterSignal) RunAndSignal(string signal, params string[] args)
    {
        // The signal's default action is restored for the program: a test runner started in the background may have
        // inherited SIGINT ignored, as shells do for background jobs.
        var start = new ProcessStartInfo("env") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in (string[])["--default-signal=INT,TERM", "dotnet", CliRunner.Program, .. args])
            start.ArgumentList.Add(a);
        start.Environment["MLTUTOR_HOME"] = CliRunner.RepoRoot;
        start.Environment["XDG_DATA_HOME"] = CliRunner.DataHome;
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        var embedding = new TaskCompletionSource();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.StartsWith("embedding: ")) embedding.TrySetResult();
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        process.StandardInput.Close();
        if (!embedding.Task.Wait(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the build never started embedding:\n{stderr}");
        }
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString()])) kill.WaitForExit();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"still running 120 s after SIG{signal}:\n{stderr}");
        }
        process.WaitForExit(); // the rest of stderr
        lock (stderr) return (process.ExitCode, stderr.ToString(), clock.Elapsed.TotalSeconds);
    }
}
