using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>A numbered source of an answer: the marker [N] in the text refers to it.</summary>
public sealed record Citation(int N, string File, int StartLine, int EndLine, string HeadingPath, string ChunkId);

/// <summary>What the tutor says, with the sources its markers point at.</summary>
/// <param name="NotCovered">True when the notes do not answer the question; the text then says so.</param>
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
}
