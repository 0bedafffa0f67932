using MlTutor.Ingestion;

namespace MlTutor.Retrieval;

/// <summary>
/// What retrieval hands to an answerer: the question, the passages best first, and the retrieval's own
/// decision that the notes do not cover the question (made from the scores, so that no answerer has to guess), with the
/// signals it was made from when they were measured.
/// </summary>
public sealed record RetrievedContext(string Question, IReadOnlyList<ScoredChunk> Passages, bool NotCovered, CoverageSignals? Signals = null)
{
    private readonly string? _standaloneQuestion;

    /// <summary>The text the passages were retrieved with: the question itself, or in a conversation the question read
    /// together with the earlier turns it leans on.</summary>
    public string StandaloneQuestion
    {
        get => _standaloneQuestion ?? Question;
        init => _standaloneQuestion = value;
    }

    /// <summary>The conversation's earlier questions, oldest first, that the question was asked after (empty: a question on
    /// its own), whether or not it was read with them; an answerer that writes may want the conversation so far.</summary>
    public IReadOnlyList<string> History { get; init; } = [];

    /// <summary>The questions the notes answer (<see cref="Ingestion.QuestionBank"/>), where an interviewer's follow-ups
    /// come from; empty when the answer needs none.</summary>
    public IReadOnlyList<BankQuestion> QuestionBank { get; init; } = [];
}
