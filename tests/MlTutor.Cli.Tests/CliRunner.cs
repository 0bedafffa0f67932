using System.Diagnostics;
using System.Text.Json;

namespace MlTutor.Cli.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json() => JsonDocument.Parse(Stdout).RootElement;

    public IReadOnlyList<JsonElement> JsonLines() =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real console program (the built mltutor.dll) in its own process, as a user would.</summary>
public static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A private data folder, so that tests never touch the user's default indexes.</summary>
    public static string DataHome { get; } = NewTempDir("mltutor-data");

    /// <param name="launcher">A command the program runs under, e.g. one that takes a privilege away; its arguments end
    /// with the program's command line.</param>
    /// <param name="workingDirectory">The folder the program starts in (default: the test's).</param>
    public static CliResult Run(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null, int timeoutSeconds = 600,
        IReadOnlyList<string>? launcher = null, string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "mltutor.dll");
        var start = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        if (launcher is { Count: > 0 })
        {
            foreach (var a in launcher.Skip(1)) start.ArgumentList.Add(a);
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["MLTUTOR_HOME"] = RepoRoot;
        start.Environment["XDG_DATA_HOME"] = DataHome;
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MLTUTOR__")).ToList()) start.Environment.Remove(key);
        if (environment != null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin != null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mltutor {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static CliResult Run(params string[] args) => Run((IEnumerable<string>)args);

    /// <summary>A new folder holding a copy of the repository's sample notes (corpus/), to edit freely.</summary>
    public static string CopyOfSampleNotes()
    {
        var corpus = NewTempDir("mltutor-corpus");
        foreach (var note in Directory.EnumerateFiles(Path.Combine(RepoRoot, "corpus")))
            File.Copy(note, Path.Combine(corpus, Path.GetFileName(note)));
        return corpus;
    }

    /// <summary>Every file and folder under <paramref name="directory"/> with its length and time of last change: equal
    /// listings mean nothing was written there.</summary>
    public static List<string> Listing(string directory) =>
        Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Select(p => new FileInfo(p))
            .Select(f => $"{Path.GetRelativePath(directory, f.FullName)} {(f.Exists ? f.Length : -1)} {f.LastWriteTimeUtc:O}")
            .Order(StringComparer.Ordinal).ToList();

    public static string NewTempDir(string prefix = "mltutor-cli") => Directory.CreateTempSubdirectory(prefix + "-").FullName;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlTutor.sln"))) return dir.FullName;
        throw new InvalidOperationException("MlTutor.sln not found");
    }
}
