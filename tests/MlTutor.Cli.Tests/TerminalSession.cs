using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MlTutor.Cli.Tests;

/// <summary>
/// The real program in a real pseudo-terminal: a private tmux server runs mltutor in a window of a given size; keys are
/// sent as a user types them and the screen is read back as the user sees it.
/// </summary>
public sealed partial class TerminalSession : IDisposable
{
    private readonly string _socket = "mltutor-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _exitFile;

    public TerminalSession(IEnumerable<string> args, int width = 100, int height = 60, IDictionary<string, string>? environment = null)
    {
        _exitFile = Path.Combine(CliRunner.NewTempDir("mltutor-pty"), "exit");
        var command = $"dotnet {Quote(CliRunner.Program)} {string.Join(' ', args.Select(Quote))}; echo $? > {Quote(_exitFile)}; sleep 600";
        var start = Tmux("new-session", "-d", "-x", width.ToString(), "-y", height.ToString(), command);
        start.Environment["MLTUTOR_HOME"] = CliRunner.RepoRoot;
        start.Environment["XDG_DATA_HOME"] = CliRunner.DataHome;
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("COLUMNS");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MLTUTOR__")).ToList()) start.Environment.Remove(key);
        if (environment != null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        Run(start);
    }

    /// <summary>Types text (sent literally, not as key names).</summary>
    public void Type(string text) => Run(Tmux("send-keys", "-t", "0", "-l", text));

    /// <summary>Presses keys by tmux's names: Enter, Up, Left, Home, C-a, C-c, C-d…</summary>
    public void Press(params string[] keys) => Run(Tmux(["send-keys", "-t", "0", .. keys]));

    /// <summary>The screen and its scrollback as text.</summary>
    public string Screen() => Run(Tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", "0"));

    /// <summary>Waits until the screen matches, and returns it; fails with the screen when it never does.</summary>
    public string WaitFor(Func<string, bool> seen, string what, int timeoutSeconds = 120)
    {
        var deadline = Stopwatch.StartNew();
        string screen;
        do
        {
            screen = Screen();
            if (seen(screen)) return screen;
            Thread.Sleep(200);
        } while (deadline.Elapsed.TotalSeconds < timeoutSeconds);
        throw new Xunit.Sdk.XunitException($"not seen within {timeoutSeconds} s: {what}\n--- screen\n{screen}");
    }

    public string WaitFor(string text, int timeoutSeconds = 120) => WaitFor(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'", timeoutSeconds);

    /// <summary>How many times <paramref name="text"/> is on the screen.</summary>
    public static int Count(string screen, string text) => Regex.Matches(screen, Regex.Escape(text)).Count;

    /// <summary>The program's exit code once it has ended.</summary>
    public int WaitForExit(int timeoutSeconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed.TotalSeconds < timeoutSeconds)
        {
            if (File.Exists(_exitFile) && File.ReadAllText(_exitFile).Trim() is { Length: > 0 } code) return int.Parse(code);
            Thread.Sleep(200);
        }
        throw new Xunit.Sdk.XunitException($"the program did not end within {timeoutSeconds} s\n--- screen\n{Screen()}");
    }

    public void Dispose()
    {
        try { Run(Tmux("kill-server")); } catch (Exception) { /* already gone */ }
    }

    private ProcessStartInfo Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    private static string Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', start.ArgumentList)}: {error}");
        return output;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
