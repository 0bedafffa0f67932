namespace MlTutor.Ingestion;

/// <summary>
/// A section, flashcard or Q/A pair that a chunk holds all or part of. Its <see cref="Id"/> comes from the note's file and
/// the item's own words, never from line numbers or how the note was cut, so it survives edits elsewhere in the note, a
/// new chunker and other chunk sizes (see <see cref="ItemIds"/> for its form).
/// </summary>
/// <param name="HeadingPath">The headings above the item itself; in a chunk of several joined sections each section has
/// its own, below the chunk's common <see cref="Chunk.HeadingPath"/>.</param>
/// <param name="Question">The question of a flashcard or Q/A pair as written (its lines trimmed and joined by spaces),
/// also in a chunk that holds only part of the answer; null for a section.</param>
/// <param name="FirstLine">The item's first line in this chunk: a 0-based index into <see cref="Chunk.Text"/>'s lines.</param>
/// <param name="LastLine">Its last line in this chunk, inclusive.</param>
public sealed record NoteItem(string Id, ItemKind Kind, string HeadingPath, string? Question, int FirstLine, int LastLine)
{
    /// <summary>The claims the item's answer lines make (<see cref="ItemKeyPoints"/>), found when the note is chunked, on the
    /// item in the first chunk that holds it; empty for an item that asks no question, and in the chunks after.</summary>
    public IReadOnlyList<ItemKeyPoint> KeyPoints { get; init; } = [];

    public bool Equals(NoteItem? other) =>
        other is not null && Id == other.Id && Kind == other.Kind && HeadingPath == other.HeadingPath && Question == other.Question
        && FirstLine == other.FirstLine && LastLine == other.LastLine && KeyPoints.SequenceEqual(other.KeyPoints);

    public override int GetHashCode() => HashCode.Combine(Id, FirstLine, LastLine, KeyPoints.Count);
}

/// <summary>
/// A claim of a question-bank item's answer: a sentence, a list item with its lead-in, a formula with the words that
/// introduce it, or a list of short items (<see cref="NoteClaims"/>), as an interview grades an answer against it.
/// </summary>
/// <param name="Context">The heading or flashcard question it stands under, or null.</param>
/// <param name="StartLine">1-based line of the note, inclusive: an item's claims may lie in the chunks after the one
/// holding its entry, so they are placed in the note, not in a chunk.</param>
/// <param name="EndLine">1-based, inclusive.</param>
/// <param name="Items">A list's claims one by one, each read under its label and lead-ins (<see cref="KeyPoint.Items"/>).</param>
public sealed record ItemKeyPoint(string Text, string? Context, int StartLine, int EndLine, IReadOnlyList<string> Items)
{
    public bool Equals(ItemKeyPoint? other) =>
        other is not null && Text == other.Text && Context == other.Context && StartLine == other.StartLine && EndLine == other.EndLine
        && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => HashCode.Combine(Text, StartLine, EndLine);
}
