namespace MlTutor.Retrieval;

/// <summary>How a <see cref="DenseRetriever"/> scores a chunk.</summary>
public sealed record DenseOptions
{
    /// <summary>
    /// Weight of the chunk's best line window (see <see cref="Ingestion.LineWindows"/>) in its score:
    /// score = (1 − w) · cos(question, chunk) + w · max cos(question, window). 0 scores by the whole chunk alone.
    /// </summary>
    public float WindowWeight { get; init; } = 0.5f;

    /// <summary>Candidates taken from each vector index (chunks, windows) per requested result before exact rescoring.</summary>
    public int CandidateFactor { get; init; } = 4;

    /// <summary>Fewest candidates taken from each vector index, so that a small k still sees a broad pool.</summary>
    public int MinCandidates { get; init; } = 200;

    public static DenseOptions Default { get; } = new();

    internal void Validate()
    {
        if (WindowWeight is < 0 or > 1 || float.IsNaN(WindowWeight))
            throw new ArgumentOutOfRangeException(nameof(WindowWeight), WindowWeight, "must be between 0 and 1");
        if (CandidateFactor < 1) throw new ArgumentOutOfRangeException(nameof(CandidateFactor), CandidateFactor, "must be at least 1");
        if (MinCandidates < 1) throw new ArgumentOutOfRangeException(nameof(MinCandidates), MinCandidates, "must be at least 1");
    }
}
