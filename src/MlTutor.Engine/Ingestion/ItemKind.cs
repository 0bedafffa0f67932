namespace MlTutor.Ingestion;

/// <summary>The kinds of things in the notes that have a stable identity (see <see cref="NoteItem"/>).</summary>
public enum ItemKind
{
    /// <summary>The content under one heading path.</summary>
    Section,
    Flashcard,
    /// <summary>A question and its answer written as "Q: …" / "A: …".</summary>
    QaPair,
}
