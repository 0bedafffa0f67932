namespace MlTutor.Ingestion;

/// <summary>
/// Reads a plain-text note (often an export that lost its markup) into sections. Paragraphs are blocks of lines between
/// blank lines; a short title-like line (no final period, followed by body text) starts a section; consecutive title
/// lines nest (the last one is the section, the one before it its parent); lines starting with '|' are a table.
/// </summary>
internal static class PlainTextOutline
{
    private enum Kind { Blank, Noise, Toc, Table, Title, Body }

    public static (string? Title, IReadOnlyList<OutlineSection> Sections) Build(IReadOnlyList<string> lines)
    {
        var kinds = Classify(lines);
        var sections = new List<OutlineSection>();
        var blocks = new List<OutlineBlock>();
        string? docTitle = null, top = null, sub = null;
        var path = "";
        var seenBody = false;

        var edge = false; // a table of contents lies between the last section and the one being read
        void Flush()
        {
            if (blocks.Count > 0)
            {
                sections.Add(new OutlineSection(path, blocks, edge));
                edge = false;
            }
            blocks = [];
        }

        var i = 0;
        while (i < lines.Count)
        {
            switch (kinds[i])
            {
                case Kind.Blank or Kind.Noise:
                    i++;
                    continue;
                case Kind.Toc:
                    Flush();
                    edge = true;
                    i++;
                    continue;
                case Kind.Title:
                {
                    Flush();
                    var run = new List<int>();
                    while (i < lines.Count && kinds[i] == Kind.Title) run.Add(i++);
                    var titles = run.Select(r => HeadingText.Clean(lines[r].TrimStart('#', ' ', '\t'))).ToList();
                    if (!seenBody && docTitle is null)
                    {
                        docTitle = string.Join(" ", titles);
                    }
                    else if (titles.Count >= 2)
                    {
                        top = titles[^2];
                        sub = titles[^1];
                    }
                    else
                    {
                        sub = titles[0];
                    }
                    path = HeadingText.Join([docTitle, top, sub]);
                    // Title lines open their section's first chunk but are not embedded: the path already says them.
                    foreach (var r in run)
                        blocks.Add(OutlineBlock.HeadingLine(r + 1, r + 1));
                    continue;
                }
                case Kind.Table:
                {
                    var start = i;
                    while (i < lines.Count && kinds[i] == Kind.Table) i++;
                    seenBody = true;
                    blocks.Add(OutlineBlock.Table(start + 1, i, lines[start]));
                    continue;
                }
                default:
                {
                    var start = i;
                    while (i < lines.Count && kinds[i] == Kind.Body) i++;
                    seenBody = true;
                    var b = new OutlineBlock(start + 1, i);
                    b.ProtectFormulas(lines);
                    blocks.Add(b);
                    continue;
                }
            }
        }
        Flush();
        return (docTitle, sections);
    }

    private static Kind[] Classify(IReadOnlyList<string> lines)
    {
        var kinds = new Kind[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var t = lines[i].Trim();
            kinds[i] = t.Length == 0 ? Kind.Blank
                : t.StartsWith('|') ? Kind.Table
                : Boilerplate.IsPageNumber(t) || Boilerplate.HasNoContent([t]) ? Kind.Noise
                : Kind.Body;
        }

        // Tables of contents: runs of "title  page" lines.
        for (var i = 0; i < lines.Count;)
        {
            if (kinds[i] != Kind.Body || !Boilerplate.IsTocLine(lines[i], out _, out _)) { i++; continue; }
            var j = i;
            while (j < lines.Count && (kinds[j] == Kind.Blank || kinds[j] == Kind.Body && Boilerplate.IsTocLine(lines[j], out _, out _))) j++;
            var run = Enumerable.Range(i, j - i).Select(k => lines[k]).ToList();
            if (Boilerplate.IsTableOfContents(run))
                for (var k = i; k < j; k++)
                    if (kinds[k] == Kind.Body) kinds[k] = Kind.Toc;
            i = j;
        }

        // Titles: runs of adjacent title-like lines that lead (past blank lines, or through further title runs) into
        // body text. Decided from the end, so a run knows whether the next one is a title run.
        var nextIsTitleOrBody = false;
        for (var i = lines.Count - 1; i >= 0;)
        {
            if (kinds[i] is Kind.Blank or Kind.Noise) { i--; continue; }
            if (kinds[i] != Kind.Body || !IsTitleLike(lines[i]) || ContinuesParagraph(lines, kinds, i))
            {
                nextIsTitleOrBody = kinds[i] is Kind.Body or Kind.Table;
                i--;
                continue;
            }
            var j = i;
            while (j > 0 && kinds[j - 1] == Kind.Body && IsTitleLike(lines[j - 1]) && !ContinuesParagraph(lines, kinds, j - 1)) j--;
            var nextLine = i + 1 < lines.Count ? lines[i + 1].TrimStart() : "";
            if (nextIsTitleOrBody && !(nextLine.Length > 0 && char.IsLower(nextLine[0])))
                for (var k = j; k <= i; k++) kinds[k] = Kind.Title;
            else
                nextIsTitleOrBody = true; // not titles after all: body text a run above may lead into
            i = j - 1;
        }
        return kinds;
    }

    /// <summary>Short, no final punctuation, no formula or assignment, not starting lower-case or with a bullet.</summary>
    internal static bool IsTitleLike(string line)
    {
        var t = line.Trim().TrimStart('#').Trim();
        if (t.Length < 2 || t.Length > 80) return false;
        if (t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 10) return false;
        if (!t.Any(char.IsLetter) || char.IsLower(t[0])) return false;
        if ("|$-*•>+=\\(".Contains(t[0])) return false;
        if (".,;:!=".Contains(t[^1])) return false;
        if (t.Contains('$') || t.Contains('\\') || t.Contains(" = ") || t.Contains(": ") || t.Contains(';')) return false;
        return true;
    }

    /// <summary>
    /// The line follows a long line that stops mid-sentence (on a word or a comma): it is the next line of a wrapped
    /// paragraph, however much it looks like a title.
    /// </summary>
    private static bool ContinuesParagraph(IReadOnlyList<string> lines, Kind[] kinds, int i)
    {
        if (i == 0 || kinds[i - 1] != Kind.Body) return false;
        var prev = lines[i - 1].TrimEnd();
        // A wrapped line runs close to the wrap width; a title after a long line is much shorter than it.
        return prev.Length >= 60 && (char.IsLetter(prev[^1]) || prev[^1] == ',') && lines[i].Trim().Length >= 0.6 * prev.Length;
    }
}
