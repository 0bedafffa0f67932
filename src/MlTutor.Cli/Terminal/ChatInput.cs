using Spectre.Console;

namespace MlTutor.Cli.Terminal;

/// <summary>
/// Where chat reads its lines: in a terminal, the <see cref="LineEditor"/>, with the lines typed before kept across
/// sessions in a history file; from a pipe or a file, one line at a time, as given.
/// </summary>
public sealed class ChatInput
{
    private const int KeptLines = 500;
    private readonly bool _terminal;
    private readonly string? _historyFile;
    private readonly List<string> _history = [];

    private ChatInput(bool terminal, string? historyFile)
    {
        _terminal = terminal;
        _historyFile = historyFile;
        if (terminal) ReadHistory();
    }

    /// <param name="historyFile">Where lines are kept between sessions; null keeps none.</param>
    public static ChatInput Open(string? historyFile)
    {
        var terminal = !Console.IsInputRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities is { Ansi: true, Interactive: true };
        return new ChatInput(terminal, terminal ? historyFile : null);
    }

    /// <summary>The next line, or null when the user leaves (Ctrl-D, Ctrl-C on an empty line, the end of the input).</summary>
    /// <param name="prompt">Plain text shown before the line in a terminal, in <paramref name="colour"/> (an ANSI SGR code).</param>
    public Task<string?> ReadLineAsync(string prompt, string colour)
    {
        if (!_terminal) return Task.FromResult(Console.ReadLine());
        var line = new LineEditor(_history).ReadLine(prompt, colour);
        if (line is { } typed && typed.Trim().Length > 0) Remember(typed.Trim());
        return Task.FromResult(line);
    }

    private void Remember(string line)
    {
        if (_history.Count > 0 && _history[^1] == line) return;
        _history.Add(line);
        if (_history.Count > KeptLines) _history.RemoveAt(0);
        if (_historyFile is null) return;
        // Kept whole or not at all, like every file MlTutor writes; a failure costs only the recall of this line.
        try { AtomicFile.WriteAllText(_historyFile, string.Join('\n', _history) + "\n"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private void ReadHistory()
    {
        if (_historyFile is null || !File.Exists(_historyFile)) return;
        try { _history.AddRange(File.ReadAllLines(_historyFile).Where(l => l.Trim().Length > 0).TakeLast(KeptLines)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
