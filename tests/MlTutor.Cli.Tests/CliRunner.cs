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

/// <summary>Runs the real console program (the built mltutor.dll, <see cref="Program"/>) in its own process, as a user would.</summary>
public static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The program as ./mltutor runs it: src/MlTutor.Cli's own build output, of the same configuration as these tests
    /// (as the web tests run it too). There its assemblies are compiled ahead of time (src/MlTutor.Cli/ReadyToRun.targets);
    /// the copies of the engine and the libraries that the build puts beside the tests are plain IL, which the JIT would
    /// compile again at the start of every process the tests run.
    /// </summary>
    public static string Program { get; } = Path.Combine(RepoRoot, "src", "MlTutor.Cli", "bin",
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", "mltutor.dll");

    /// <summary>A private data folder, so that tests never touch the user's default indexes.</summary>
    public static string DataHome { get; } = NewTempDir("mltutor-data");

    /// <param name="launcher">A command the program runs under, e.g. one that takes a privilege away; its arguments end
    /// with the program's command line.</param>
    /// <param name="workingDirectory">The folder the program starts in (default: the test's).</param>
    public static CliResult Run(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null, int timeoutSeconds = 600,
        IReadOnlyList<string>? launcher = null, string? workingDirectory = null)
    {
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
        start.ArgumentList.Add(Program);
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

    /// <summary>A new folder holding a copy of the repository's sample notes (corpus/), to edit freely. The copies keep
    /// the notes' times of last change, so <see cref="SampleIndex"/> is up to date with them.</summary>
    public static string CopyOfSampleNotes() => CopyOfNotes(Path.Combine(RepoRoot, "corpus"));

    /// <summary>A new folder holding a copy of the notes in <paramref name="notes"/>, with their times of last change: an
    /// index of those notes is up to date with the copy too.</summary>
    public static string CopyOfNotes(string notes)
    {
        var corpus = NewTempDir("mltutor-corpus");
        foreach (var note in Directory.EnumerateFiles(notes))
        {
            var copy = Path.Combine(corpus, Path.GetFileName(note));
            File.Copy(note, copy);
            File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(note));
        }
        return corpus;
    }

    /// <summary>
    /// The index of the repository's sample notes, built once for the whole run. Tests that only read it share it: a
    /// question over unchanged notes writes nothing, and readers never wait for each other. A test that changes an
    /// index or its notes takes <see cref="IndexedCopyOfSampleNotes"/> instead.
    /// </summary>
    public static string SampleIndex => SampleIndexBuild.Value;

    private static readonly Lazy<string> SampleIndexBuild = new(() =>
    {
        var index = NewTempDir("mltutor-sample-index");
        var result = Run("index", "--index", index);
        if (result.ExitCode != 0) throw new InvalidOperationException("indexing the sample notes failed: " + result);
        return index;
    });

    /// <summary>A copy of the sample notes and a copy of <see cref="SampleIndex"/>, up to date with each other: to edit or
    /// damage without embedding the notes again.</summary>
    /// <param name="index">Where the index copy goes (default: a new folder).</param>
    public static (string Corpus, string Index) IndexedCopyOfSampleNotes(string? index = null)
    {
        var corpus = CopyOfSampleNotes();
        index ??= NewTempDir();
        CopyFolder(SampleIndex, index);
        return (corpus, index);
    }

    /// <summary>The one note (good.md) of the small corpus that tests of bad input, read-only folders and the like start from.</summary>
    public const string DropoutNote = "# Dropout\n\nDropout zeroes random activations during training so units cannot co-adapt.\n";

    /// <summary>A corpus of <see cref="DropoutNote"/> alone and its index, built once for the whole run.</summary>
    private static readonly Lazy<(string Corpus, string Index)> DropoutNoteBuild = new(() =>
    {
        var corpus = NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "good.md"), DropoutNote);
        var index = NewTempDir("mltutor-dropout-index");
        var result = Run("index", "--corpus", corpus, "--index", index);
        if (result.ExitCode != 0) throw new InvalidOperationException("indexing the dropout note failed: " + result);
        return (corpus, index);
    });

    /// <summary>A copy of the one-note corpus of <see cref="DropoutNote"/> and a copy of its index, up to date with each
    /// other: to edit, damage or make read-only without embedding the note again.</summary>
    public static (string Corpus, string Index) IndexedCopyOfDropoutNote() =>
        (CopyOfNotes(DropoutNoteBuild.Value.Corpus), CopyOfIndex(DropoutNoteBuild.Value.Index));

    /// <summary>A copy of <see cref="SampleIndex"/> in a new folder, up to date with the repository's sample notes: to damage
    /// or update without embedding the notes again.</summary>
    public static string CopyOfSampleIndex() => CopyOfIndex(SampleIndex);

    /// <summary>A copy of a built index in a new folder.</summary>
    public static string CopyOfIndex(string index)
    {
        var copy = NewTempDir();
        CopyFolder(index, copy);
        return copy;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(from))
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
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
