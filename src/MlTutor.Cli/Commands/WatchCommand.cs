using System.CommandLine;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor watch</c>: keeps the index up to date while the notes are edited, added and deleted, until
/// Ctrl-C or SIGTERM; one quiet line for each update says what was re-indexed.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var command = new Command("watch", "Keep the index up to date while you edit the notes (Ctrl-C stops it)");
        command.SetAction(async (parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            Output.UpdateBeforeQuestions(tutor, ct);
            using (var watch = tutor.WatchNotes(Report))
            {
                Console.Error.WriteLine(watch.Polling is not { } why ? $"watching {tutor.CorpusDirectory} (Ctrl-C to stop)"
                    : watch.PollingChosen ? $"watching: {why} (Ctrl-C to stop)"
                    : "warning: " + why);
                // The first Ctrl-C or SIGTERM ends the wait; disposing the watch cancels an update under way cleanly.
                try { await Task.Delay(Timeout.Infinite, ct); }
                catch (OperationCanceledException) { }
            }
            Console.Error.WriteLine("stopped watching");
            return 0;
        });
        return command;
    }

    /// <summary>What an update did, as watch prints it and chat shows it before its next answer.</summary>
    public static string? Describe(WatchReport report) =>
        report.Warning is { } warning ? "warning: " + ErrorReporting.WithRemedy(warning, report.Remedy)
        : report.Notes.Count > 0 ? "re-indexed " + string.Join(", ", report.Notes) : null;

    private static void Report(WatchReport report)
    {
        if (Describe(report) is not { } line) return;
        if (report.Warning is null) Console.Out.WriteLine(line);
        else Console.Error.WriteLine(line);
    }
}
