using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli;

/// <summary>How cited lines are shown: numbered, the cited ones marked, the context greyed.</summary>
public static class CitationRendering
{
    /// <param name="headingPath">The headings above the cited lines, when known.</param>
    public static void Print(CitedLines cited, string? headingPath = null)
    {
        var heading = string.IsNullOrWhiteSpace(headingPath) ? "" : $" [grey]— {Markup.Escape(headingPath)}[/]";
        AnsiConsole.MarkupLine($"[cyan]{Markup.Escape($"{cited.File}:{cited.StartLine}-{cited.EndLine}")}[/]{heading}");
        foreach (var line in cited.Before) PrintContext(line);
        for (var i = 0; i < cited.Lines.Count; i++)
            AnsiConsole.MarkupLine($"[yellow]{cited.StartLine + i,5}[/] [yellow]│[/] {Markup.Escape(cited.Lines[i])}");
        foreach (var line in cited.After) PrintContext(line);
    }

    private static void PrintContext(NumberedLine line) =>
        AnsiConsole.MarkupLine($"[grey]{line.Line,5}[/]   [grey]{Markup.Escape(line.Text)}[/]");

    public static object Json(CitedLines cited, bool withContext)
    {
        if (!withContext) return new { file = cited.File, startLine = cited.StartLine, endLine = cited.EndLine, lines = cited.Lines };
        return new
        {
            file = cited.File, startLine = cited.StartLine, endLine = cited.EndLine, lines = cited.Lines,
            context = new { before = cited.Before.Select(Numbered), after = cited.After.Select(Numbered) },
        };
    }

    private static object Numbered(NumberedLine line) => new { line = line.Line, text = line.Text };
}
