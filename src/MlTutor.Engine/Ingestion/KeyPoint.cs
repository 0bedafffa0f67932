namespace MlTutor.Ingestion;

/// <summary>
/// One distinct claim of the notes: a sentence, a list item with its lead-in, a formula with the words that introduce
/// it, or a list of short items, located by the file lines it stands on.
/// </summary>
/// <param name="Context">The heading or flashcard question it stands under (what a bare sentence is about), or null.</param>
/// <param name="Passage">The passage it was read from, by its place among the passages a grade reads (in retrieval's
/// order, after a question-bank item's own answer when the grade is of one); citations are one per passage.</param>
/// <param name="StartLine">1-based, inclusive.</param>
/// <param name="EndLine">1-based, inclusive.</param>
public sealed record KeyPoint(string Text, string? Context, string File, int StartLine, int EndLine, int Passage, string HeadingPath, string ChunkId)
{
    /// <summary>The claims a list quoted whole makes one by one: each item read under the label and lead-ins it stands
    /// under. Empty for a point that makes one claim.</summary>
    public IReadOnlyList<string> Items { get; init; } = [];
}
