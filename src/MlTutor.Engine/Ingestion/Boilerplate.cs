using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>
/// Recognises text that is layout, not content: tables of contents (titles followed by page numbers), lone page numbers,
/// and lines with nothing to read. Such text is never made a chunk; it keeps its lines, so every other line number holds.
/// </summary>
internal static partial class Boilerplate
{
    // "Naive Bayes\t35", "Overfitting ........ 11", "Attention … 155", "Regression   15"
    [GeneratedRegex(@"^\s*(?<title>\S.*?)(?<sep>\t+|\s*\.{2,}\s*|\s*…+\s*|\s{2,}|\s)(?<page>\d{1,4})\s*$")]
    private static partial Regex TocLineRegex();

    [GeneratedRegex(@"^\s*(?:(?:page|p\.|seite)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex PageNumberRegex();

    [GeneratedRegex(@"^\s*(table\s+of\s+contents|contents|toc|inhalt|inhaltsverzeichnis)\s*:?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TocHeadingRegex();

    /// <summary>A line like "Regression	15": a title then a page number, separated by a tab, dotted leader or spaces.</summary>
    public static bool IsTocLine(string line, out int page, out bool strongSeparator)
    {
        page = 0;
        strongSeparator = false;
        // Most lines of a note end otherwise than in a page number: they are told apart without running the pattern,
        // which every line of every paragraph is checked against.
        var end = line.AsSpan().TrimEnd();
        if (end.IsEmpty || !char.IsDigit(end[^1])) return false;
        var m = TocLineRegex().Match(line);
        if (!m.Success || !m.Groups["title"].Value.Any(char.IsLetter)) return false;
        page = int.Parse(m.Groups["page"].Value);
        var sep = m.Groups["sep"].Value;
        strongSeparator = sep.Contains('\t') || sep.Contains("..") || sep.Contains('…') || sep.Length >= 2;
        return true;
    }

    /// <summary>
    /// True when the lines read as a table of contents: at least three title-page lines, most of them, with tab or dotted
    /// separators, and page numbers that (mostly) do not go down.
    /// </summary>
    public static bool IsTableOfContents(IReadOnlyList<string> lines)
    {
        var nonBlank = 0;
        var matched = 0;
        var strong = 0;
        var pages = new List<int>();
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            nonBlank++;
            if (!IsTocLine(line, out var page, out var isStrong)) continue;
            matched++;
            if (isStrong) strong++;
            pages.Add(page);
        }
        if (matched < 3 || matched < 0.7 * nonBlank || strong < 0.5 * matched) return false;
        var rising = 0;
        for (var i = 1; i < pages.Count; i++)
            if (pages[i] >= pages[i - 1]) rising++;
        return rising >= 0.8 * (pages.Count - 1);
    }

    /// <summary>A line holding only a page number ("12", "- 12 -", "Page 3 of 10").</summary>
    public static bool IsPageNumber(string line) => PageNumberRegex().IsMatch(line);

    /// <summary>A heading such as "Table of Contents": what follows it up to the next heading is not content.</summary>
    public static bool IsTocHeading(string headingText) => TocHeadingRegex().IsMatch(headingText);

    /// <summary>No letter and no digit: separators, stray bullets, empty list items.</summary>
    public static bool HasNoContent(IEnumerable<string> lines) => !lines.Any(l => l.Any(char.IsLetterOrDigit));
}
