namespace MlTutor.Ingestion;

/// <summary>
/// What ingestion knows of a chunk's lines, carried with the chunk so that later stages (the keyword index's flashcard
/// question, the answerer) need not read the markdown again: its blocks in line order, and the sections, flashcards
/// and Q/A pairs it holds all or part of. Equal when its blocks and items are equal, so chunks compare by value.
/// </summary>
public sealed class ChunkStructure : IEquatable<ChunkStructure>
{
    public ChunkStructure(IReadOnlyList<ChunkBlock> blocks, IReadOnlyList<NoteItem> items)
    {
        Blocks = blocks ?? throw new ArgumentNullException(nameof(blocks));
        Items = items ?? throw new ArgumentNullException(nameof(items));
        ItemId = OpeningItem()?.Id;
    }

    /// <summary>The blocks in line order; lines that are no block (empty lines, page numbers) are in none.</summary>
    public IReadOnlyList<ChunkBlock> Blocks { get; }

    /// <summary>The items in the order they start, a section before a flashcard or pair inside it.</summary>
    public IReadOnlyList<NoteItem> Items { get; }

    /// <summary>
    /// The item the chunk opens in: the flashcard or Q/A pair its first block belongs to, else that block's section.
    /// A chunk that continues a long answer has its card's id; one that opens a section, the section's.
    /// </summary>
    public string? ItemId { get; }

    /// <summary>
    /// The structure of a passage made of this chunk and <paramref name="next"/>, whose text starts at line
    /// <paramref name="nextFirstLine"/> of the passage's text. An item both hold (a section, a long answer) is one item.
    /// </summary>
    public ChunkStructure Then(ChunkStructure next, int nextFirstLine)
    {
        ArgumentNullException.ThrowIfNull(next);
        var blocks = Blocks.Concat(next.Blocks.Select(b => b with { FirstLine = b.FirstLine + nextFirstLine, LastLine = b.LastLine + nextFirstLine }));
        var items = Items.ToList();
        foreach (var item in next.Items)
        {
            var shifted = item with { FirstLine = item.FirstLine + nextFirstLine, LastLine = item.LastLine + nextFirstLine };
            var same = items.FindIndex(i => i.Id == item.Id);
            if (same >= 0) items[same] = items[same] with { LastLine = shifted.LastLine };
            else items.Add(shifted);
        }
        return new ChunkStructure([.. blocks], items);
    }

    private NoteItem? OpeningItem()
    {
        if (Items.Count == 0) return null;
        var line = Blocks.Count > 0 ? Blocks[0].FirstLine : Items[0].FirstLine;
        NoteItem? section = null;
        foreach (var item in Items)
        {
            if (item.FirstLine > line || item.LastLine < line) continue;
            if (item.Kind != ItemKind.Section) return item;
            section ??= item;
        }
        return section ?? Items[0];
    }

    public bool Equals(ChunkStructure? other) =>
        other is not null && (ReferenceEquals(this, other) || Blocks.SequenceEqual(other.Blocks) && Items.SequenceEqual(other.Items));

    public override bool Equals(object? obj) => Equals(obj as ChunkStructure);

    public override int GetHashCode() => HashCode.Combine(Blocks.Count, Items.Count, ItemId);
}
