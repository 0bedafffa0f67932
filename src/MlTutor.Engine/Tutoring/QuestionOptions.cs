using MlTutor.Answering;

namespace MlTutor.Tutoring;

/// <summary>How one question is handled; what is left out comes from the settings (Retrieval:K, Retrieval:Retriever,
/// Answering:Provider).</summary>
public sealed record QuestionOptions
{
    /// <summary>Passages to retrieve, 1 to <see cref="TutorSettings.RetrievalSettings.MaxK"/>.</summary>
    public int? K { get; init; }
    public RetrieverKind? Retriever { get; init; }
    public AnswerProvider? Provider { get; init; }
    public AnswerStyle Style { get; init; } = AnswerStyle.Tutor;

    /// <summary>The conversation's earlier questions, oldest first; the question is a turn of it. Empty: a question on
    /// its own.</summary>
    public IReadOnlyList<string> History { get; init; } = [];
}
