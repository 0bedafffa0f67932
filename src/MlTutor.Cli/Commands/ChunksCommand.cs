using System.CommandLine;
using MlTutor.Ingestion;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor chunks [FILE]</c>: how the notes are cut, so that a user can see (and trust) what gets cited.</summary>
public static class ChunksCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per chunk per line" };
        var file = new Argument<string?>("FILE") { Description = "Only this note (path relative to the corpus folder)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("chunks", "Show the chunks the notes are cut into") { json, file };
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var warnings = new List<IngestionWarning>();
            var asJson = parse.GetValue(json);
            foreach (var (note, chunks) in host.Tutor().ListChunks(parse.GetValue(file), warnings, ct))
            {
                if (asJson)
                {
                    foreach (var c in chunks)
                        Output.WriteJson(new { chunkId = c.Id, itemId = c.ItemId, file = c.File, startLine = c.StartLine, endLine = c.EndLine, headingPath = c.HeadingPath, tokens = c.Tokens, text = c.Text, embeddedText = c.EmbeddedText });
                }
                else Print(note, chunks);
            }
            Output.Warn(warnings);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Print(NoteFile note, IReadOnlyList<Chunk> chunks)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(note.RelativePath)}[/] — {chunks.Count} chunks");
        var table = new Table().Border(TableBorder.Simple).AddColumn("lines").AddColumn("pieces").AddColumn("heading path").AddColumn("starts with");
        foreach (var c in chunks)
        {
            var first = c.Text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            table.AddRow($"{c.StartLine}-{c.EndLine}", c.Tokens.ToString(), Markup.Escape(c.HeadingPath), Markup.Escape(first.Length > 60 ? first[..60] + "…" : first));
        }
        AnsiConsole.Write(table);
    }
}
