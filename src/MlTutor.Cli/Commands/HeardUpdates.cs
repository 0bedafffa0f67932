using System.Collections.Concurrent;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>The notes watched while a person types (chat, an interview): what the watch re-indexed is kept to be said
/// once, in grey, before the next output rather than over the line being typed, and at the end.</summary>
internal sealed class HeardUpdates : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly NotesWatch _watch;

    public HeardUpdates(Tutor tutor) => _watch = tutor.WatchNotes(Hear);

    /// <summary>Why the notes are checked at an interval rather than watched (see <see cref="NotesWatch.Polling"/>), or null.</summary>
    public string? Polling => _watch.Polling;

    public void Say()
    {
        while (_lines.TryDequeue(out var line)) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
    }

    /// <summary>
    /// Stops watching and says what is left. An update is published before the watch hears of it, so the last answer may
    /// already have used one not said yet: stopping the watch waits for an update under way.
    /// </summary>
    public void Dispose()
    {
        _watch.Dispose();
        Say();
    }

    private void Hear(WatchReport report)
    {
        if (WatchCommand.Describe(report) is { } line) _lines.Enqueue(line);
    }
}
