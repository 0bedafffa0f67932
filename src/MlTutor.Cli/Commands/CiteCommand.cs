using System.CommandLine;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor cite FILE:START[-END]</c>: the cited lines of a note, numbered, so that every citation can be checked.</summary>
public static partial class CiteCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object: file, startLine, endLine, lines" };
        var context = new Option<int>("--context") { Description = "Also show N lines before and after", DefaultValueFactory = _ => 0, HelpName = "N" };
        var reference = new Argument<string>("FILE:LINE[-LINE]") { Description = "A citation as printed by ask, e.g. optimizers.md:30-34" };
        var command = new Command("cite", "Show the lines of the notes that a citation points at") { json, context, reference };
        command.SetAction((parse, _) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var (file, start, end) = ParseReference(parse.GetValue(reference)!);
            var pad = Math.Max(0, parse.GetValue(context));
            if (parse.GetValue(json))
            {
                var lines = ReadLines(tutor.CorpusDirectory, file, start, end);
                Output.WriteJson(new { file, startLine = start, endLine = end, lines });
            }
            else Print(tutor.CorpusDirectory, file, Math.Max(1, start - pad), end + pad, start, end);
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

    /// <summary>Lines START..END of a note (1-based, inclusive); the file must lie inside the corpus folder.</summary>
    public static IReadOnlyList<string> ReadLines(string corpus, string file, int start, int end)
    {
        var full = Path.GetFullPath(Path.Combine(corpus, file));
        if (!full.StartsWith(Path.GetFullPath(corpus).TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new UserException($"{file} is outside the corpus folder {corpus}");
        if (!File.Exists(full)) throw new UserException($"{file} is not in the corpus folder {corpus}");
        var lines = File.ReadAllText(full).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (start > lines.Length) throw new UserException($"{file} has {lines.Length} lines; line {start} does not exist (was the note edited since?)");
        return lines[(start - 1)..Math.Min(end, lines.Length)];
    }

    public static void Print(string corpus, string file, int start, int end) => Print(corpus, file, start, end, start, end);

    private static void Print(string corpus, string file, int from, int to, int start, int end)
    {
        var lines = ReadLines(corpus, file, from, to);
        AnsiConsole.MarkupLine($"[cyan]{Markup.Escape($"{file}:{start}-{end}")}[/]");
        for (var i = 0; i < lines.Count; i++)
        {
            var no = from + i;
            var inside = no >= start && no <= end;
            AnsiConsole.MarkupLine($"[grey]{no,5}[/] {(inside ? "│" : " ")} {(inside ? "" : "[grey]")}{Markup.Escape(lines[i])}{(inside ? "" : "[/]")}");
        }
    }

    [GeneratedRegex(@"^(?<file>.+?):(?<start>\d+)(?:-(?<end>\d+))?$")]
    private static partial Regex Reference();
}
