using System.Security.Cryptography;
using System.Text;

namespace MlTutor.Ingestion;

/// <summary>
/// Makes the chunk of a stretch of a note's lines: its text, the text it embeds (heading path, any carried-over context,
/// the content lines), its id, and its structure (the blocks it holds and the items they belong to).
/// </summary>
/// <param name="owner">The block each line of the note belongs to, if any.</param>
internal sealed class ChunkMaker(string file, IReadOnlyList<string> lines, PieceCounter pieces, OutlineBlock?[] owner)
{
    /// <summary>The chunk of lines <paramref name="start"/>..<paramref name="end"/> of a section, embedding their content
    /// after <paramref name="prefix"/>.</summary>
    public Chunk Build(int start, int end, string headingPath, string prefix, SectionLayout section)
    {
        var body = new StringBuilder();
        for (var l = start; l <= end; l++)
        {
            if (section.Owner(l) is not { Embedded: true } block || !PieceCounter.IsContentLine(lines[l - 1])) continue;
            if (block.EmbedAs is not null && l != block.Start) continue;
            if (body.Length > 0) body.Append('\n');
            body.Append(block.EmbedAs ?? lines[l - 1].Trim());
        }
        return Make(start, end, headingPath, prefix, body.ToString());
    }

    /// <param name="ownText">The text of a part of one over-long line; null: the lines start..end.</param>
    public Chunk Make(int start, int end, string headingPath, string prefix, string body, int part = 0, string? ownText = null)
    {
        var text = ownText ?? string.Join("\n", Enumerable.Range(start, end - start + 1).Select(l => lines[l - 1]));
        var embedded = prefix.Length == 0 ? body : prefix + "\n" + body;
        return new Chunk(Id(start, end, embedded, part), file, headingPath, start, end, text, embedded, pieces.Encoded(embedded),
            ownText is null ? BlankLinesAfter(end) : null, StructureOf(start, end));
    }

    /// <summary>The blocks of lines <paramref name="start"/>..<paramref name="end"/>, and the items they belong to.</summary>
    private ChunkStructure StructureOf(int start, int end)
    {
        var blocks = new List<ChunkBlock>();
        var items = new List<NoteItem>();
        OutlineBlock? previous = null;
        for (var l = start; l <= end; l++)
        {
            if (owner[l - 1] is not { } block || block == previous) continue;
            previous = block;
            var within = block.BlocksWithin(start, end).ToList();
            if (within.Count == 0) continue;
            blocks.AddRange(within);
            // The section first: a card or pair lies inside it.
            Include(items, block.Section, within);
            Include(items, block.Item, within);
        }
        return new ChunkStructure(blocks, items);
    }

    private static void Include(List<NoteItem> items, OutlineItem? item, List<ChunkBlock> blocks)
    {
        if (item is null) return;
        var known = items.FindIndex(i => i.Id == item.Id);
        if (known >= 0) items[known] = items[known] with { LastLine = blocks[^1].LastLine };
        else items.Add(new NoteItem(item.Id, item.Kind, item.HeadingPath, item.Question, blocks[0].FirstLine, blocks[^1].LastLine));
    }

    /// <summary>Empty lines right after line <paramref name="end"/>, up to the next other line or the end of the note. A line
    /// of spaces ends the count, since a passage joined across it would not show it as it is.</summary>
    private int BlankLinesAfter(int end)
    {
        var blank = 0;
        while (end + blank < lines.Count && lines[end + blank].Length == 0) blank++;
        return blank;
    }

    /// <summary>Same file, lines and embedded text give the same id; windows of one line differ by their part number.</summary>
    private string Id(int start, int end, string embedded, int part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{file}\n{start}-{end}\n{part}\n{embedded}"));
        return Convert.ToHexStringLower(hash)[..16];
    }
}
