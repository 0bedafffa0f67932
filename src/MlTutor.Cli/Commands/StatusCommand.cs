using System.CommandLine;
using MlTutor.Indexing;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor status</c>: what is indexed and when, what changed since, and each note's state; changes nothing.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json")
        {
            Description = "One JSON object: index, corpus, generation, builtUtc, chunks, bytesOnDisk, upToDate, settingsChanged, "
                + "notes: [{file, state (indexed, edited, new, removed, skipped), chunks, reason}]",
        };
        var command = new Command("status", "Show what is indexed, what changed since, and each note's state") { json };
        command.SetAction((parse, _) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var status = host.Tutor().ReadIndexStatus();
            if (parse.GetValue(json))
                Output.WriteJson(Json(status, host.Tutor().CorpusDirectory));
            else Print(status, host.Tutor().CorpusDirectory);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The status as status --json writes it (serve's /api/status too).</summary>
    public static object Json(IndexStatus status, string corpus) => new
    {
        index = status.Directory, corpus, status.Generation, status.BuiltUtc, status.Chunks,
        status.BytesOnDisk, status.UpToDate, status.SettingsChanged,
        notes = status.Notes.Select(n => new { n.File, state = n.State.ToString().ToLowerInvariant(), n.Chunks, n.Reason }),
    };

    private static void Print(IndexStatus status, string corpus)
    {
        var built = status.Generation is null
            ? "no index yet: run mltutor index (or ask a question) to build it"
            : $"built {status.BuiltUtc:yyyy-MM-dd HH:mm} UTC, {status.Chunks} chunks, {status.BytesOnDisk / 1e6:0.0} MB on disk";
        AnsiConsole.MarkupLine($"[bold]index[/] {Markup.Escape(status.Directory)}: {Markup.Escape(built)}");
        AnsiConsole.MarkupLine($"[bold]notes[/] {Markup.Escape(corpus)}");
        var table = new Table().Border(TableBorder.Simple).AddColumn("note").AddColumn("state").AddColumn(new TableColumn("chunks").RightAligned()).AddColumn("");
        foreach (var n in status.Notes)
        {
            var (colour, say) = n.State switch
            {
                NoteState.Indexed => ("green", ""),
                NoteState.Edited => ("yellow", "changed since it was indexed"),
                NoteState.New => ("yellow", "not indexed yet"),
                NoteState.Removed => ("yellow", "deleted since; still in the index"),
                _ => ("grey", n.Reason ?? ""),
            };
            table.AddRow(Markup.Escape(n.File), $"[{colour}]{n.State.ToString().ToLowerInvariant()}[/]", n.Chunks > 0 ? n.Chunks.ToString() : "", Markup.Escape(say));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(status.UpToDate ? "[green]up to date[/]"
            : status.SettingsChanged ? "[yellow]built with other settings: the next update rebuilds it[/]"
            : "[yellow]the next mltutor index (or question) brings it up to date[/]");
    }
}
