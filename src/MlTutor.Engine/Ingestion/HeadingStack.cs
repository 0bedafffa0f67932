namespace MlTutor.Ingestion;

/// <summary>
/// The headings open at a point of a markdown note, from the title down, and so the heading path of what follows. A
/// heading's level is its markdown level, unless the note's numbers or its table of contents say better.
/// </summary>
internal sealed class HeadingStack(string? title, TocChapters chapters)
{
    private sealed record Entry(int Level, string Text, int NumberDepth);

    private readonly List<Entry> _open = [];

    /// <summary>The heading path: the title, then every open heading.</summary>
    public string Path { get; private set; } = title ?? "";

    /// <summary>Closes every heading: what follows is right under the title.</summary>
    public void BackToTitle()
    {
        _open.Clear();
        Path = title ?? "";
    }

    /// <summary>Opens the heading <paramref name="text"/>, closing every open one of its level or deeper.</summary>
    /// <param name="level">Its markdown level.</param>
    public void Open(string text, int level)
    {
        level = chapters.InUse ? ChapterLevel(text) : NumberedLevel(text, level);
        while (_open.Count > 0 && _open[^1].Level >= level) _open.RemoveAt(_open.Count - 1);
        _open.Add(new Entry(level, text, SectionNumber.Depth(text)));
        Path = HeadingText.Join([title, .. _open.Select(h => h.Text)]);
    }

    /// <summary>
    /// The level of a numbered heading that lost its '#' marks in conversion: that of the open heading with a number as
    /// deep, else one below the open heading with a number one shorter, else one below the last open heading.
    /// </summary>
    public int PseudoLevel(string text)
    {
        var depth = SectionNumber.Depth(text);
        for (var i = _open.Count - 1; i >= 0; i--)
            if (_open[i].NumberDepth == depth) return _open[i].Level;
        for (var i = _open.Count - 1; i >= 0; i--)
            if (_open[i].NumberDepth == depth - 1) return _open[i].Level + 1;
        return _open.Count > 0 ? _open[^1].Level + 1 : 1;
    }

    /// <summary>Chapters (found in the table of contents) sit right under the title; everything else under its chapter.</summary>
    private int ChapterLevel(string text)
    {
        var isChapter = chapters.Names(text);
        var level = isChapter ? 1 : 2;
        if (!isChapter && _open.Count == 0) level = 1;
        return level;
    }

    /// <summary>
    /// Converted notes mix '#' and '##' for sections of one rank; their numbers do not lie. A numbered heading
    /// ("3. Architectures") takes the level of the open heading with the same kind of number ("2. Basics") when its number
    /// comes after that one; otherwise its own markdown level stands.
    /// </summary>
    private int NumberedLevel(string text, int level)
    {
        var number = SectionNumber.Parts(text);
        if (number is null) return level;
        for (var i = _open.Count - 1; i >= 0; i--)
        {
            var other = SectionNumber.Parts(_open[i].Text);
            if (other is null || other.Length != number.Length) continue;
            return number.AsSpan().SequenceCompareTo(other) > 0 ? _open[i].Level : level;
        }
        return level;
    }
}
