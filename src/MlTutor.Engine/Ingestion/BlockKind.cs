namespace MlTutor.Ingestion;

/// <summary>What a run of a chunk's lines is, as ingestion read it from the note's own structure.</summary>
public enum BlockKind
{
    /// <summary>A heading line: a markdown heading, a bold numbered line standing for one, or a plain-text title.</summary>
    Heading,
    Paragraph,
    /// <summary>One item of a list, its sub-items with it.</summary>
    ListItem,
    Table,
    /// <summary>A display formula (a <c>$$</c> block).</summary>
    Formula,
    Code,
    Quote,
    /// <summary>The line <c>???</c> between a flashcard's question and its answer.</summary>
    FlashcardSeparator,
    /// <summary>Anything else markdown has (raw HTML, ...).</summary>
    Other,
}
