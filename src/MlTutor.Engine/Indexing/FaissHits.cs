namespace MlTutor.Indexing;

/// <summary>
/// The nearest vectors for one query, best first: <see cref="Ids"/>[i] scored <see cref="Scores"/>[i]
/// (inner product, higher is closer). Holds fewer than k entries when the index has fewer vectors.
/// </summary>
public sealed record FaissHits(long[] Ids, float[] Scores)
{
    public static FaissHits Empty { get; } = new([], []);

    public int Count => Ids.Length;
}
