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
public sealed record NoteItem(string Id, ItemKind Kind, string HeadingPath, string? Question, int FirstLine, int LastLine);
