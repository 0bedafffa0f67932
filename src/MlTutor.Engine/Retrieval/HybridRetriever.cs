using MlTutor.Ingestion;

namespace MlTutor.Retrieval;

/// <summary>The fused ranking together with the two rankings it came from (the coverage decision reads all three).</summary>
public sealed record HybridSearch(
    IReadOnlyList<ScoredChunk> Fused,
    IReadOnlyList<ScoredChunk> Dense,
    IReadOnlyList<ScoredChunk> Keyword);

/// <summary>
/// Dense and keyword retrieval merged by <see cref="ScoreFusion"/>: the dense side finds paraphrases, the keyword side
/// finds exact terms (names, acronyms, notation) that an embedding blurs.
/// </summary>
public sealed class HybridRetriever : IRetriever
{
    private readonly IRetriever _dense;
    private readonly IRetriever _keyword;
    private readonly Diversifier? _diversifier;

    public HybridRetriever(IRetriever dense, IRetriever keyword, HybridOptions? options = null)
    {
        _dense = dense ?? throw new ArgumentNullException(nameof(dense));
        _keyword = keyword ?? throw new ArgumentNullException(nameof(keyword));
        Options = options ?? HybridOptions.Default;
        if (Options.DenseWeight is < 0 or > 1 && Options.Method != FusionMethod.ReciprocalRank)
            throw new ArgumentOutOfRangeException(nameof(options), Options.DenseWeight, "A convex fusion needs a dense weight in 0..1.");
        _diversifier = Options.Diversify is { } d ? new Diversifier(d) : null;
    }

    public HybridOptions Options { get; }

    public IReadOnlyList<ScoredChunk> Search(string query, int k) => SearchDetailed(query, k).Fused;

    /// <summary>The fused best <paramref name="k"/> (near-duplicates removed when configured) plus both candidate lists.</summary>
    public HybridSearch SearchDetailed(string query, int k)
    {
        if (k <= 0)
            return new HybridSearch([], [], []);
        var dense = _dense.Search(query, Math.Max(k, Options.DenseDepth));
        var keyword = _keyword.Search(query, Math.Max(k, Options.KeywordDepth));

        var chunks = new Dictionary<string, Chunk>(StringComparer.Ordinal);
        foreach (var hit in dense.Concat(keyword))
            chunks.TryAdd(hit.Chunk.Id, hit.Chunk);
        var fused = ScoreFusion.Fuse(Ids(dense), Ids(keyword), Options)
            .Select(f => new ScoredChunk(chunks[f.Id], f.Score))
            .ToList();
        IReadOnlyList<ScoredChunk> top = _diversifier is null ? fused.Take(k).ToList() : _diversifier.Select(fused, k);
        return new HybridSearch(top, dense, keyword);
    }

    private static List<(string Id, float Score)> Ids(IReadOnlyList<ScoredChunk> hits) =>
        hits.Select(h => (h.Chunk.Id, h.Score)).ToList();
}
