using System.Collections.Concurrent;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>What a watch re-indexed while a person was typing (chat, an interview), kept to be said once, in grey, before
/// the next output rather than over the line being typed.</summary>
internal sealed class HeardUpdates
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Hear(WatchReport report)
    {
        if (WatchCommand.Describe(report) is { } line) _lines.Enqueue(line);
    }

    public void Say()
    {
        while (_lines.TryDequeue(out var line)) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
    }
}
