namespace MlTutor.Ingestion;

/// <summary>What part of a question and its answer a block is, if any.</summary>
public enum BlockRole
{
    None,
    /// <summary>The front of a flashcard: what comes before its <c>???</c> line.</summary>
    FlashcardQuestion,
    /// <summary>The back of a flashcard: what follows its <c>???</c> line up to the card's end.</summary>
    FlashcardAnswer,
    /// <summary>The question of a pair the note writes as "Q: …" followed by "A: …".</summary>
    QaQuestion,
    /// <summary>The answer of such a pair, from its "A: …" up to the next question or the section's end.</summary>
    QaAnswer,
}
