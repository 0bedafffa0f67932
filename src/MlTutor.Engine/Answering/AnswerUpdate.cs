namespace MlTutor.Answering;

/// <summary>
/// A piece of an answer as it is produced. <see cref="Text"/> is to be shown at once, after the pieces before it; the last
/// update also carries <see cref="Final"/>, the whole answer with its checked citations. Its text is what the pieces
/// added up to (markers naming no passage are never passed on), trimmed.
/// </summary>
public sealed record AnswerUpdate(string Text, Answer? Final = null)
{
    /// <summary>A line to show apart from the answer, at this point of it: why the language model could not answer, before
    /// the offline answer that stands in for it.</summary>
    public string? Notice { get; init; }
}
