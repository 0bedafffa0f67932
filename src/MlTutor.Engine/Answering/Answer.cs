using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>A numbered source of an answer: the marker [N] in the text refers to it.</summary>
public sealed record Citation(int N, string File, int StartLine, int EndLine, string HeadingPath, string ChunkId);

/// <summary>What the tutor says, with the sources its markers point at.</summary>
/// <param name="NotCovered">True when the notes do not answer the question; the text then says so.</param>
/// <param name="Citations">The passages the text cites, and only those.</param>
public sealed record Answer(string Question, string Text, bool NotCovered, IReadOnlyList<Citation> Citations)
{
    private readonly string? _standaloneQuestion;

    /// <summary>The text the answer's passages were retrieved with (<see cref="RetrievedContext.StandaloneQuestion"/>):
    /// the question itself unless a conversation gave it context.</summary>
    public string StandaloneQuestion
    {
        get => _standaloneQuestion ?? Question;
        init => _standaloneQuestion = value;
    }

    /// <summary>The numbers of citation markers a language model wrote that named no passage it was given; they were
    /// removed from <see cref="Text"/>.</summary>
    public IReadOnlyList<int> DroppedMarkers { get; init; } = [];

    /// <summary>An answer that says something (it is not "not covered") without citing any passage: nothing in it can be
    /// checked against the notes.</summary>
    public bool Uncited => !NotCovered && Citations.Count == 0;

    /// <summary>The size of the prompt a language model was sent, estimated; null when no model wrote the answer.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Why a written answer stopped before its end (the connection broke, the token limit was reached), in one
    /// line; the text holds what came before. Null for a whole answer.</summary>
    public string? CutReason { get; init; }

    /// <summary>Why the language model gave no answer, in one line, when the offline answer stands in for it; else null.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>True when the language model started repeating itself and was stopped; the text ends where the repetition
    /// began.</summary>
    public bool StoppedRepeating { get; init; }

    /// <summary>Tokens the language model wrote, as it reported them (for an answer stopped early, the pieces it streamed);
    /// null when it did not say or no model wrote the answer.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>The offline answer from the same passages, given after a written answer that cannot be checked against the
    /// notes (it cites nothing) or was stopped for repeating itself: a weak model never leaves the student without the
    /// evidence. Null otherwise.</summary>
    public Answer? OfflineAnswer { get; init; }
}
