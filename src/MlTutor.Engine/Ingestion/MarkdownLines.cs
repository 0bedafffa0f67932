using System.Text;
using Markdig.Syntax;

namespace MlTutor.Ingestion;

/// <summary>
/// A markdown note's lines and the text Markdig reads of them, with the way back from the offsets and lines Markdig
/// reports for a block to the note's own (1-based) lines.
/// </summary>
internal sealed class MarkdownLines
{
    private readonly int[] _lineStarts;

    private MarkdownLines(IReadOnlyList<string> lines, string text, int[] lineStarts)
    {
        Lines = lines;
        Text = text;
        _lineStarts = lineStarts;
    }

    /// <summary>The note's lines.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The text Markdig reads.</summary>
    public string Text { get; }

    /// <summary>
    /// The text Markdig reads: the lines joined with '\n' alone (NoteLines took every kind of line ending off), so the
    /// line Markdig reports for a block, and the line of each offset, is the note's own line. Lines in
    /// <paramref name="escaped"/> get a backslash before their first "$$".
    /// </summary>
    public static MarkdownLines Join(IReadOnlyList<string> lines, HashSet<int> escaped)
    {
        var sb = new StringBuilder();
        var lineStarts = new int[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            lineStarts[i] = sb.Length;
            var line = lines[i];
            var dollars = escaped.Contains(i + 1) ? line.IndexOf("$$", StringComparison.Ordinal) : -1;
            sb.Append(dollars < 0 ? line : line.Insert(dollars, "\\"));
        }
        return new MarkdownLines(lines, sb.ToString(), lineStarts);
    }

    /// <summary>The first and last line of <paramref name="block"/> that are not blank.</summary>
    public (int Start, int End) Of(Block block)
    {
        var start = block.Span.Start >= 0 ? LineAt(block.Span.Start) : block.Line + 1;
        var end = block.Span.End >= block.Span.Start && block.Span.End >= 0 ? LineAt(block.Span.End) : start;
        // A fence that is never closed runs to the end of the note, but Markdig's span stops at its opening line;
        // its content lines say where it really ends.
        if (block is LeafBlock { Lines.Count: > 0 } leaf)
            end = Math.Max(end, Math.Min(Lines.Count, leaf.Lines.Lines[leaf.Lines.Count - 1].Line + 1));
        if (end < start) end = start;
        while (end > start && string.IsNullOrWhiteSpace(Lines[end - 1])) end--;
        while (start < end && string.IsNullOrWhiteSpace(Lines[start - 1])) start++;
        return (start, end);
    }

    /// <summary>The lines <paramref name="start"/>..<paramref name="end"/> (1-based, inclusive).</summary>
    public List<string> Slice(int start, int end)
    {
        var list = new List<string>(end - start + 1);
        for (var l = start; l <= end; l++) list.Add(Lines[l - 1]);
        return list;
    }

    /// <summary>The lines of <paramref name="block"/>.</summary>
    public List<string> SliceOf(Block block)
    {
        var (start, end) = Of(block);
        return Slice(start, end);
    }

    private int LineAt(int offset)
    {
        offset = Math.Clamp(offset, 0, Math.Max(0, Text.Length - 1));
        var i = Array.BinarySearch(_lineStarts, offset);
        if (i < 0) i = ~i - 1;
        return Math.Clamp(i, 0, _lineStarts.Length - 1) + 1;
    }
}
