using System.CommandLine;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor cite FILE:START[-END]</c>: the cited lines of a note, numbered, so that every citation can be checked.</summary>
public static class CiteCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: file, startLine, endLine, lines; with --context also \"context\": "
                + "{\"before\": [{\"line\": N, \"text\": ...}], \"after\": [...]}, the surrounding lines apart from the cited ones",
        };
        var context = CommonOptions.WholeNumber("--context", "Also show N lines before and after (fewer at the start or end of the note)", 0);
        var reference = new Argument<string>("FILE:LINE[-LINE]")
        {
            Description = "A citation as printed by ask, e.g. optimizers.md:30-34; lines are counted as an editor counts them, "
                + "and a line past the note's end is an error (the note was edited since it was indexed)",
        };
        var command = new Command("cite", "Show the lines of the notes that a citation points at") { json, context, reference };
        command.SetAction((parse, _) =>
        {
            var cited = CitationReference.Parse(parse.GetValue(reference)!);
            var pad = parse.GetValue(context);
            if (pad < 0) throw new UserException($"--context {pad}: the number of lines around the citation must be 0 or more");
            using var host = CommonOptions.BuildHost(parse);
            var lines = host.Tutor().Cite(cited, pad);
            if (parse.GetValue(json)) Output.WriteJson(CitationRendering.Json(lines, withContext: pad > 0));
            else CitationRendering.Print(lines);
            return Task.FromResult(0);
        });
        return command;
    }
}
