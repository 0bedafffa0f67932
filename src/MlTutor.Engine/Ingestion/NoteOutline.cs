namespace MlTutor.Ingestion;

/// <summary>
/// How bad it is to end a chunk after a given line. The packer cuts at the best (lowest) rank that keeps the chunk
/// within budget, so structure is only broken when a single block is too large for the encoder.
/// </summary>
internal static class CutRank
{
    /// <summary>Between two blocks (paragraphs, lists, tables...) of one section: the natural place to cut.</summary>
    public const int Block = 0;
    /// <summary>Between two items of a list.</summary>
    public const int Item = 1;
    /// <summary>Between two lines of a paragraph, or inside a list item.</summary>
    public const int Line = 2;
    /// <summary>Inside a table, code or math block, or after a lead-in / question / heading: only when nothing else fits.</summary>
    public const int LastResort = 3;
    /// <summary>Inside a formula that spans lines: even worse than breaking a table.</summary>
    public const int InFormula = 4;
    /// <summary>Not a place to cut at all (a blank line between blocks: the cut belongs at the block's end).</summary>
    public const int Never = int.MaxValue;
}

/// <summary>A contiguous run of lines that belongs together (a paragraph, a list, a table, a heading line...).</summary>
internal sealed class OutlineBlock(int start, int end)
{
    /// <summary>First line, 1-based.</summary>
    public int Start { get; } = start;

    /// <summary>Last line, 1-based inclusive.</summary>
    public int End { get; } = end;

    /// <summary>The next block must start in the same chunk (a heading, a list's lead-in, a flashcard question).</summary>
    public bool GlueToNext { get; set; }

    /// <summary>The next block belongs with this one (a formula with the words that introduce it, what a title line
    /// titles, what a lead-in ending in ":" announces): a chunk ends between them only where it would otherwise end
    /// inside this block, never before a block boundary that fits.</summary>
    public bool KeepWithNext { get; set; }

    /// <summary>False for lines that are structure, not content (heading lines: the heading path already says them).</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Rank of a cut inside the block when <see cref="InnerCuts"/> says nothing else.</summary>
    public int DefaultInnerCut { get; set; } = CutRank.Line;

    /// <summary>Rank of a cut after line <c>Start + i</c>, for i in 0..End-Start-1 (null: <see cref="DefaultInnerCut"/>).</summary>
    public int[]? InnerCuts { get; set; }

    /// <summary>Text a chunk starting inside this block after <see cref="ContextLine"/> carries in front, so it stands on its own.</summary>
    public string? Context { get; set; }

    public int ContextLine { get; set; }

    /// <summary>Text embedded for this block instead of its lines (a sub-heading inside a chunk of merged sections).</summary>
    public string? EmbedAs { get; set; }

    /// <summary>What the block's lines are. A list is the run of its items (its <see cref="Parts"/>).</summary>
    public BlockKind Kind { get; set; } = BlockKind.Paragraph;

    /// <summary>What the block is, for messages ("list", "code block", ...).</summary>
    public string Name { get; set; } = "paragraph";

    /// <summary>The part of a flashcard or Q/A pair the block is, if any.</summary>
    public BlockRole Role { get; set; }

    /// <summary>
    /// How the block's lines divide into a chunk's blocks when they are not one: a list's top-level items, a flashcard or
    /// Q/A pair written as one paragraph. Null: the block is one. A part without a role has the block's.
    /// </summary>
    public List<BlockPart>? Parts { get; set; }

    /// <summary>The flashcard or Q/A pair the block belongs to, if any.</summary>
    public OutlineItem? Item { get; set; }

    /// <summary>The section the block belongs to, under its own heading path (set before sections are joined for packing).</summary>
    public OutlineItem? Section { get; set; }

    /// <summary>A heading's line: it opens its section's first chunk (so a citation shows it) but is not embedded, since
    /// the heading path in front of every chunk already says it.</summary>
    public static OutlineBlock HeadingLine(int start, int end) => new(start, end)
    {
        Embedded = false, GlueToNext = true, Kind = BlockKind.Heading, Name = "heading", DefaultInnerCut = CutRank.LastResort,
    };

    /// <summary>A table, cut inside only as a last resort; a chunk that starts inside it carries its first row, the header.</summary>
    public static OutlineBlock Table(int start, int end, string header) => new(start, end)
    {
        Kind = BlockKind.Table, Name = "table", DefaultInnerCut = CutRank.LastResort, Context = header.Trim(), ContextLine = start,
    };

    public int CutAfter(int line) => InnerCuts?[line - Start] ?? DefaultInnerCut;

    public void SetInnerCut(int afterLine, int rank)
    {
        if (afterLine < Start || afterLine >= End) return;
        InnerCuts ??= Enumerable.Repeat(DefaultInnerCut, End - Start).ToArray();
        InnerCuts[afterLine - Start] = rank;
    }

    /// <summary>
    /// The blocks a chunk of the lines <paramref name="first"/>..<paramref name="last"/> sees of this one (each of its
    /// <see cref="Parts"/>), within those lines and numbered from <paramref name="first"/> as line 0.
    /// </summary>
    public IEnumerable<ChunkBlock> BlocksWithin(int first, int last)
    {
        foreach (var part in Parts ?? [new BlockPart(Kind, Start, End)])
        {
            var from = Math.Max(part.Start, first);
            var to = Math.Min(part.End, last);
            if (from <= to) yield return new ChunkBlock(part.Kind, from - first, to - first, part.Role == BlockRole.None ? Role : part.Role);
        }
    }

    /// <summary>Raises the rank of every inner cut that would fall inside a formula.</summary>
    public void ProtectFormulas(IReadOnlyList<string> fileLines)
    {
        foreach (var afterLine in Formulas.OpenAfter(fileLines, Start, End))
            SetInnerCut(afterLine, Math.Max(CutAfter(afterLine), CutRank.InFormula));
    }
}

/// <summary>Lines of an <see cref="OutlineBlock"/> that are a block of their own in a chunk's structure (1-based, inclusive).</summary>
internal sealed record BlockPart(BlockKind Kind, int Start, int End, BlockRole Role = BlockRole.None);

/// <summary>Consecutive blocks under one heading path; chunks are packed within a section, or within a run of small
/// sections of one topic that the packer joined (<see cref="ChunkerOptions.MergeSectionsUpTo"/>).</summary>
/// <param name="AfterHardEdge">A table of contents or a thematic break (a flashcard's end) comes before the section, or
/// the note is flashcards: the section is never joined to the one before it.</param>
internal sealed record OutlineSection(string HeadingPath, IReadOnlyList<OutlineBlock> Blocks, bool AfterHardEdge = false);
