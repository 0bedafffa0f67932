namespace MlTutor.Ingestion;

/// <summary>A section, flashcard or Q/A pair while a note is read; <see cref="ItemIds"/> gives it its id once the whole
/// note has been read, and each chunk that holds a part of it gets a <see cref="NoteItem"/>.</summary>
internal sealed class OutlineItem(ItemKind kind, string headingPath, string? question = null)
{
    public ItemKind Kind { get; } = kind;
    public string HeadingPath { get; } = headingPath;

    /// <summary>Null for a section.</summary>
    public string? Question { get; } = question;

    public string Id { get; set; } = "";
}
