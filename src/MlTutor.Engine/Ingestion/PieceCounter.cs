namespace MlTutor.Ingestion;

/// <summary>
/// Word pieces of a note's texts as the packer counts them: a text's without [CLS] and [SEP], and a line's as the
/// content of its block (each line counted once), and texts shortened to a budget of pieces.
/// </summary>
internal sealed class PieceCounter
{
    private readonly Func<string, int> _countPieces;
    private readonly IReadOnlyList<string> _lines;
    private readonly int[] _cost;
    /// <summary>Texts already counted. The same short texts come back many times (a section's heading path for each of
    /// its chunks, the sub-heading labels of every run of small sections the merger weighs), and counting is the most
    /// of chunking's work.</summary>
    private readonly Dictionary<string, int> _counted = new(StringComparer.Ordinal);

    /// <param name="countPieces">Word pieces of a text as the encoder reads it, [CLS] and [SEP] included.</param>
    public PieceCounter(Func<string, int> countPieces, IReadOnlyList<string> lines)
    {
        _countPieces = countPieces;
        _lines = lines;
        _cost = new int[lines.Count];
        Array.Fill(_cost, -1);
    }

    /// <summary>Word pieces of a text as the encoder reads it, [CLS] and [SEP] included.</summary>
    public int Encoded(string text) => _countPieces(text);

    /// <summary>Word pieces of a text without [CLS] and [SEP].</summary>
    public int Of(string text) => string.IsNullOrWhiteSpace(text) ? 0 : Math.Max(0, Counted(text) - 2);

    private int Counted(string text)
    {
        if (!_counted.TryGetValue(text, out var count))
            _counted[text] = count = _countPieces(text);
        return count;
    }

    /// <summary>Pieces that line <paramref name="line"/> adds to a chunk: none for structure, a blank line or a page number;
    /// a block embedded as a text of its own counts that text once, at its first line.</summary>
    public int Line(int line, OutlineBlock? owner)
    {
        if (owner is null || !owner.Embedded) return 0;
        if (owner.EmbedAs is not null) return line == owner.Start ? Of(owner.EmbedAs) : 0;
        if (_cost[line - 1] < 0)
            _cost[line - 1] = IsContentLine(_lines[line - 1]) ? Of(_lines[line - 1]) : 0;
        return _cost[line - 1];
    }

    /// <summary>Word pieces of line <paramref name="line"/>'s text, as counted already when it was.</summary>
    public int OfLine(int line) => _cost[line - 1] >= 0 ? _cost[line - 1] : Of(_lines[line - 1]);

    public static bool IsContentLine(string line) =>
        !string.IsNullOrWhiteSpace(line) && !Boilerplate.IsPageNumber(line);

    /// <summary>Shortens a heading path (dropping leading parts) or a context (dropping trailing words) to a piece budget.</summary>
    public string Truncate(string text, int maxPieces, bool keepEnd)
    {
        if (text.Length == 0 || Of(text) <= maxPieces) return text;
        if (keepEnd)
        {
            var parts = text.Split(HeadingText.Separator).ToList();
            while (parts.Count > 1 && Of(string.Join(HeadingText.Separator, parts)) > maxPieces) parts.RemoveAt(0);
            text = string.Join(HeadingText.Separator, parts);
            if (Of(text) <= maxPieces) return text;
        }
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var lo = 0;
        var hi = words.Length;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Of(string.Join(' ', words.Take(mid))) <= maxPieces) lo = mid; else hi = mid - 1;
        }
        var kept = string.Join(' ', words.Take(lo));
        // A single overlong "word" (a formula without spaces) is cut by characters.
        while (kept.Length == 0 && text.Length > 0 && Of(text) > maxPieces) text = text[..(text.Length / 2)];
        return kept.Length > 0 ? kept : text;
    }
}
