using System.CommandLine;
using System.Text.RegularExpressions;
using MlTutor.Ingestion;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor cite FILE:START[-END]</c>: the cited lines of a note, numbered, so that every citation can be checked.</summary>
public static partial class CiteCommand
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
            var (file, start, end) = ParseReference(parse.GetValue(reference)!);
            var pad = parse.GetValue(context);
            if (pad < 0) throw new UserException($"--context {pad}: the number of lines around the citation must be 0 or more");
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            if (parse.GetValue(json))
            {
                var note = ReadNote(tutor, file);
                var lines = Cited(note, file, start, end);
                if (pad == 0)
                {
                    Output.WriteJson(new { file, startLine = start, endLine = end, lines });
                }
                else
                {
                    var before = Numbered(note, Math.Max(1, start - pad), start - 1);
                    var after = Numbered(note, end + 1, LastShown(note, end, pad));
                    Output.WriteJson(new { file, startLine = start, endLine = end, lines, context = new { before, after } });
                }
            }
            else Print(tutor, file, start, end, pad);
            return Task.FromResult(0);
        });
        return command;
    }

    public static (string File, int Start, int End) ParseReference(string text)
    {
        var m = Reference().Match(text.Trim());
        if (!m.Success) throw new UserException($"'{text}' is not a citation: write FILE:LINE or FILE:START-END, e.g. optimizers.md:30-34");
        // Digits beyond int's range cannot name a line of any note: an error that says so, not an overflow.
        var tooLarge = new UserException($"'{text}': line numbers must be at most {int.MaxValue}, e.g. optimizers.md:30-34");
        if (!int.TryParse(m.Groups["start"].Value, out var start)) throw tooLarge;
        var end = start;
        if (m.Groups["end"].Success && !int.TryParse(m.Groups["end"].Value, out end)) throw tooLarge;
        if (start < 1 || end < start) throw new UserException($"'{text}': lines must be 1 or more, START before END");
        return (m.Groups["file"].Value, start, end);
    }

    /// <summary>Prints lines START..END of a note, numbered as the index numbers them, with <paramref name="pad"/> lines
    /// of context around them; the file must be a note the index reads and have line END.</summary>
    public static void Print(Tutor tutor, string file, int start, int end, int pad = 0)
    {
        var note = ReadNote(tutor, file);
        Cited(note, file, start, end);
        var from = Math.Max(1, start - pad);
        var to = LastShown(note, end, pad);
        AnsiConsole.MarkupLine($"[cyan]{Markup.Escape($"{file}:{start}-{end}")}[/]");
        for (var no = from; no <= to; no++)
        {
            var inside = no >= start && no <= end;
            AnsiConsole.MarkupLine($"[grey]{no,5}[/] {(inside ? "│" : " ")} {(inside ? "" : "[grey]")}{Markup.Escape(note[no - 1])}{(inside ? "" : "[/]")}");
        }
    }

    /// <summary>The last line shown: <paramref name="pad"/> past <paramref name="end"/>, within the note (a pad near
    /// int's limit cannot overflow).</summary>
    private static int LastShown(string[] note, int end, int pad) => (int)Math.Min(note.Length, (long)end + pad);

    /// <summary>
    /// The note's lines, read and decoded exactly as indexing reads them (the tutor's reader, its rules for what is a note,
    /// and its size limit), so line N here is line N of every citation; a file indexing does not read is refused with the reason.
    /// </summary>
    private static string[] ReadNote(Tutor tutor, string file) =>
        NoteLines.Split(tutor.Reader.ReadNote(tutor.CorpusDirectory, file).Text);

    private static string[] Cited(string[] note, string file, int start, int end)
    {
        var missing = start > note.Length ? start : end > note.Length ? end : 0;
        if (missing > 0)
            throw new UserException($"{file} has {note.Length} lines; line {missing} does not exist (was the note edited since? run `mltutor index` to renew the citations)");
        return note[(start - 1)..end];
    }

    private static object[] Numbered(string[] note, int from, int to) =>
        Enumerable.Range(from, Math.Max(0, to - from + 1)).Select(n => (object)new { line = n, text = note[n - 1] }).ToArray();

    [GeneratedRegex(@"^(?<file>.+?):(?<start>\d+)(?:-(?<end>\d+))?$", RegexOptions.Singleline)]
    private static partial Regex Reference();
}
