namespace MlTutor.Retrieval;

/// <summary>How a <see cref="HybridRetriever"/> merges the dense and keyword rankings.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion: Σ weight / (RrfK + rank). Uses ranks only.</summary>
    ReciprocalRank,

    /// <summary>Convex combination of scores min-max normalised per query over each list's candidates.</summary>
    ConvexMinMax,

    /// <summary>Convex combination of scores z-normalised (mean 0, deviation 1) per query over each list's candidates.</summary>
    ConvexZScore,
}

public sealed record HybridOptions
{
    public FusionMethod Method { get; init; } = FusionMethod.ReciprocalRank;

    /// <summary>Candidates asked of the dense retriever (at least the requested k).</summary>
    public int DenseDepth { get; init; } = 50;

    /// <summary>Candidates asked of the keyword retriever (at least the requested k).</summary>
    public int KeywordDepth { get; init; } = 50;

    /// <summary>Weight of the dense list; for the convex methods the keyword weight is 1 − this.</summary>
    public float DenseWeight { get; init; } = 0.5f;

    /// <summary>Weight of the keyword list for <see cref="FusionMethod.ReciprocalRank"/> (ignored by the convex methods).</summary>
    public float KeywordWeight { get; init; } = 0.5f;

    /// <summary>RRF's rank offset (60 in the original paper); smaller values favour the heads of the lists.</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>Neighbouring chunks joined into one passage after fusion; null keeps every chunk apart.</summary>
    public PassageJoinerOptions? Join { get; init; }

    /// <summary>Near-duplicate removal after fusion and joining; null keeps every fused candidate.</summary>
    public DiversifierOptions? Diversify { get; init; }

    public static HybridOptions Default { get; } = new();
}
