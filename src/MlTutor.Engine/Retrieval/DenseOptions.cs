namespace MlTutor.Retrieval;

/// <summary>How a <see cref="DenseRetriever"/> scores a chunk.</summary>
public sealed record DenseOptions
{
    /// <summary>
    /// Weight of the chunk's best line window (see <see cref="Ingestion.LineWindows"/>) in its score:
    /// score = (1 − w) · cos(question, chunk) + w · max cos(question, window). 0 scores by the whole chunk alone.
    /// </summary>
    public float WindowWeight { get; init; } = 0.5f;

    /// <summary>
    /// Weight of the best-matching part of a many-part question (see <see cref="QuestionParts"/>) in a chunk's score:
    /// score = (1 − p) · score(whole question) + p · max over parts of score(part). 0 searches the whole question only;
    /// a one-part question is always searched whole.
    /// </summary>
    public float PartWeight { get; init; } = 0.5f;

    /// <summary>Candidates taken from each vector index (chunks, windows) per requested result before exact rescoring.</summary>
    public int CandidateFactor { get; init; } = 4;

    /// <summary>Fewest candidates taken from each vector index, so that a small k still sees a broad pool.</summary>
    public int MinCandidates { get; init; } = 200;

    /// <summary>
    /// Largest number of vectors (chunks plus, when windows are scored, windows) that a search scans whole and exactly;
    /// a larger index takes FAISS candidates (<see cref="CandidateFactor"/>, <see cref="MinCandidates"/>) and rescores
    /// those. Scanning 50,000 vectors of 384 floats costs a few milliseconds. 0 always uses FAISS.
    /// </summary>
    public int ExactScanLimit { get; init; } = 50_000;

    public static DenseOptions Default { get; } = new();

    internal void Validate()
    {
        if (WindowWeight is < 0 or > 1 || float.IsNaN(WindowWeight))
            throw new ArgumentOutOfRangeException(nameof(WindowWeight), WindowWeight, "must be between 0 and 1");
        if (PartWeight is < 0 or > 1 || float.IsNaN(PartWeight))
            throw new ArgumentOutOfRangeException(nameof(PartWeight), PartWeight, "must be between 0 and 1");
        if (CandidateFactor < 1) throw new ArgumentOutOfRangeException(nameof(CandidateFactor), CandidateFactor, "must be at least 1");
        if (ExactScanLimit < 0) throw new ArgumentOutOfRangeException(nameof(ExactScanLimit), ExactScanLimit, "must not be negative");
        if (MinCandidates < 1) throw new ArgumentOutOfRangeException(nameof(MinCandidates), MinCandidates, "must be at least 1");
    }
}
