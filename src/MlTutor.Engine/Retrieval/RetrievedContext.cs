namespace MlTutor.Retrieval;

/// <summary>
/// What retrieval hands to an answerer: the question, the passages best first, and the retrieval's own
/// decision that the notes do not cover the question (made from the scores, so that no answerer has to guess), with the
/// signals it was made from when they were measured.
/// </summary>
public sealed record RetrievedContext(string Question, IReadOnlyList<ScoredChunk> Passages, bool NotCovered, CoverageSignals? Signals = null);
