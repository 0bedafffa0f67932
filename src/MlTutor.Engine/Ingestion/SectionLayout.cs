namespace MlTutor.Ingestion;

/// <summary>The lines of a section as the packer walks them: the block each belongs to, and how bad a cut after it is.</summary>
internal sealed class SectionLayout
{
    private readonly int[] _cut;
    private readonly OutlineBlock?[] _owner;

    private SectionLayout(int first, int last, int[] cut, OutlineBlock?[] owner)
    {
        First = first;
        Last = last;
        _cut = cut;
        _owner = owner;
    }

    /// <summary>The section's first line (1-based).</summary>
    public int First { get; }

    /// <summary>The section's last line (1-based, inclusive).</summary>
    public int Last { get; }

    /// <summary>The block line <paramref name="line"/> belongs to; null for a line between blocks.</summary>
    public OutlineBlock? Owner(int line) => _owner[line - First];

    /// <summary>The <see cref="CutRank"/> of ending a chunk after line <paramref name="line"/>.</summary>
    public int CutAfter(int line) => _cut[line - First];

    /// <summary>A block's last line is a block boundary, unless the block is glued to the next one (a lead-in, a
    /// heading, a flashcard's question): then only a last resort. A block kept with the next one (a formula's lead-in, a
    /// title line, a list ending in ":") ends no better than a line inside it, so that a chunk too small for both cuts
    /// right there, not inside the block. Inside a block its own cuts hold.</summary>
    public static SectionLayout Of(IReadOnlyList<OutlineBlock> blocks)
    {
        var first = blocks[0].Start;
        var last = blocks[^1].End;
        var n = last - first + 1;
        var cut = new int[n];
        var owner = new OutlineBlock?[n];
        Array.Fill(cut, CutRank.Never);
        for (var bi = 0; bi < blocks.Count; bi++)
        {
            var b = blocks[bi];
            for (var l = b.Start; l <= b.End; l++)
            {
                owner[l - first] = b;
                cut[l - first] = l < b.End ? b.CutAfter(l)
                    : bi == blocks.Count - 1 ? CutRank.Block
                    : b.GlueToNext ? CutRank.LastResort
                    : b.KeepWithNext ? CutRank.Line
                    : CutRank.Block;
            }
        }
        return new SectionLayout(first, last, cut, owner);
    }
}
