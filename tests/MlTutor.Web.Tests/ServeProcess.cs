using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace MlTutor.Web.Tests;

/// <summary>
/// A real <c>mltutor serve</c>: the built program in its own process, on a free loopback port (--port 0), over a real
/// index of a notes folder; what it printed is kept.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    private ServeProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts serve and waits for its one line "Serving http://…/".</summary>
    public static Task<ServeProcess> StartAsync(string corpus, string dataHome, params string[] extra) =>
        StartAsync(corpus, dataHome, new Dictionary<string, string>(), extra);

    /// <summary>As <see cref="StartAsync(string, string, string[])"/>, with settings of its own (MLTUTOR__… variables);
    /// those of the process running the tests are never passed on.</summary>
    public static async Task<ServeProcess> StartAsync(string corpus, string dataHome, IDictionary<string, string> environment, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in (string[])[Program, "serve", "--corpus", corpus, "--port", "0", .. extra]) start.ArgumentList.Add(a);
        start.Environment["MLTUTOR_HOME"] = Paths.RepoRoot;
        start.Environment["XDG_DATA_HOME"] = dataHome;
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MLTUTOR__")).ToList()) start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { ready.TrySetException(new InvalidOperationException("serve ended before it was ready")); return; }
            lock (stdout) stdout.AppendLine(e.Data);
            if (ServingLine().Match(e.Data) is { Success: true } m) ready.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            var url = await ready.Task.WaitAsync(TimeSpan.FromMinutes(3));
            var serve = new ServeProcess(process, url);
            // The readers keep appending to these.
            serve._stdout.Append(stdout);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (serve._stdout) serve._stdout.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (serve._stderr) serve._stderr.AppendLine(e.Data); };
            lock (stderr) serve._stderr.Append(stderr);
            return serve;
        }
        catch (Exception e)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"mltutor serve did not start ({e.Message}); stdout:\n{stdout}\nstderr:\n{stderr}");
        }
    }

    /// <summary>Ctrl-C: SIGINT, as the terminal sends it (SIGTERM where this process was started with SIGINT ignored, as
    /// a shell does for a command run in the background, since the child inherits that). Returns whether it ended in
    /// time.</summary>
    public async Task<bool> InterruptAsync(TimeSpan timeout)
    {
        const int sigint = 2, sigterm = 15;
        Kill(_process.Id, SigIntIgnored(_process.Id) ? sigterm : sigint);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static bool SigIntIgnored(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("SigIgn:"));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && !await InterruptAsync(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The program as ./mltutor runs it: the console project's own build output, with the page beside it.</summary>
    public static string Program => Path.Combine(Paths.RepoRoot, "src", "MlTutor.Cli", "bin", Paths.Configuration, "net10.0", "mltutor.dll");

    [GeneratedRegex(@"^Serving (http://[0-9.]+:\d+/)$")]
    private static partial Regex ServingLine();
}

public static class Paths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Release or Debug: the configuration these tests were built in, and so the program too.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string NewTempDir(string prefix) => Directory.CreateTempSubdirectory(prefix + "-").FullName;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlTutor.sln"))) return dir.FullName;
        throw new InvalidOperationException("MlTutor.sln not found above the test assembly");
    }
}
