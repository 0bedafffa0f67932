using Markdig.Syntax;

namespace MlTutor.Ingestion;

/// <summary>
/// The chapters a note's table of contents names. A PDF conversion gives every heading an arbitrary level; its table of
/// contents says which ones are chapters, matched however the conversion spelt them.
/// </summary>
internal sealed class TocChapters
{
    private readonly List<string> _titles = [];

    /// <summary>At least two of the note's headings are chapters of its table of contents: the chapters are the top level.</summary>
    public bool InUse { get; private set; }

    public static TocChapters Find(List<Block> blocks, MarkdownLines source)
    {
        var chapters = new TocChapters();
        foreach (var p in blocks.OfType<ParagraphBlock>())
        {
            var lines = source.SliceOf(p);
            if (!Boilerplate.IsTableOfContents(lines)) continue;
            foreach (var line in lines)
                if (Boilerplate.IsTocLine(line, out _, out _))
                {
                    var title = Normalize(line.TrimEnd()[..line.TrimEnd().LastIndexOfAny([' ', '\t', '.', '…'])]);
                    if (title.Length > 0) chapters._titles.Add(title);
                }
        }
        if (chapters._titles.Count < 3) return chapters;
        var matches = blocks.OfType<HeadingBlock>().Count(h => chapters.Names(HeadingText.FromInline(h.Inline)));
        chapters.InUse = matches >= 2;
        return chapters;
    }

    /// <summary>Whether <paramref name="heading"/> is one of the chapters.</summary>
    public bool Names(string heading)
    {
        var h = Normalize(heading);
        if (h.Length < 3) return false;
        // "6. Hyperparameters" inside a chapter is a numbered sub-section, not the chapter "Hyperparameters": a numbered
        // heading only matches a table-of-contents entry with the same number.
        var numbered = SectionNumber.Depth(heading) > 0;
        foreach (var t in _titles)
        {
            if (numbered || char.IsDigit(t[0])) { if (t == h) return true; continue; }
            if (Math.Abs(t.Length - h.Length) > Math.Max(1, t.Length / 10)) continue;
            if (Levenshtein(t, h) <= Math.Max(1, t.Length / 10)) return true;
        }
        return false;
    }

    private static string Normalize(string s) =>
        new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
