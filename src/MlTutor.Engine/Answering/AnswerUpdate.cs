namespace MlTutor.Answering;

/// <summary>
/// A piece of an answer as it is produced. <see cref="Text"/> is to be shown at once, after the pieces before it; the last
/// update also carries <see cref="Final"/>, the whole answer with its checked citations, whose text is the one to keep (a
/// marker naming no passage is dropped from it).
/// </summary>
public sealed record AnswerUpdate(string Text, Answer? Final = null);
