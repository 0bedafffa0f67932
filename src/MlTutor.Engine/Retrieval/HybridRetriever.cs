using MlTutor.Ingestion;

namespace MlTutor.Retrieval;

/// <summary>The fused ranking together with the two rankings it came from (the coverage decision reads all three), and
/// the whole question's best dense similarity when the dense side is a <see cref="DenseRetriever"/>.</summary>
public sealed record HybridSearch(
    IReadOnlyList<ScoredChunk> Fused,
    IReadOnlyList<ScoredChunk> Dense,
    IReadOnlyList<ScoredChunk> Keyword,
    float? DenseBestWhole = null);

/// <summary>
/// Dense and keyword retrieval merged by <see cref="ScoreFusion"/>: the dense side finds paraphrases, the keyword side
/// finds exact terms (names, acronyms, notation) that an embedding blurs.
/// </summary>
public sealed class HybridRetriever : IRetriever
{
    private readonly IRetriever _dense;
    private readonly IRetriever _keyword;
    private readonly PassageJoiner? _joiner;
    private readonly Diversifier? _diversifier;

    public HybridRetriever(IRetriever dense, IRetriever keyword, HybridOptions? options = null)
    {
        _dense = dense ?? throw new ArgumentNullException(nameof(dense));
        _keyword = keyword ?? throw new ArgumentNullException(nameof(keyword));
        Options = options ?? HybridOptions.Default;
        if (Options.DenseWeight is < 0 or > 1 && Options.Method != FusionMethod.ReciprocalRank)
            throw new ArgumentOutOfRangeException(nameof(options), Options.DenseWeight, "A convex fusion needs a dense weight in 0..1.");
        _joiner = Options.Join is { } j ? new PassageJoiner(j) : null;
        _diversifier = Options.Diversify is { } d ? new Diversifier(d) : null;
    }

    public HybridOptions Options { get; }

    public IReadOnlyList<ScoredChunk> Search(string query, int k) => SearchDetailed(query, k).Fused;

    /// <summary>The fused best <paramref name="k"/> (neighbours joined and near-duplicates removed when configured) plus
    /// both candidate lists, whose chunks are never joined.</summary>
    public HybridSearch SearchDetailed(string query, int k)
    {
        if (k <= 0)
            return new HybridSearch([], [], []);
        var denseSearch = _dense is DenseRetriever d
            ? d.SearchDetailed(query, Math.Max(k, Options.DenseDepth))
            : new DenseSearch(_dense.Search(query, Math.Max(k, Options.DenseDepth)), null);
        var dense = denseSearch.Ranked;
        var keyword = _keyword.Search(query, Math.Max(k, Options.KeywordDepth));

        var chunks = new Dictionary<string, Chunk>(StringComparer.Ordinal);
        foreach (var hit in dense.Concat(keyword))
            chunks.TryAdd(hit.Chunk.Id, hit.Chunk);
        IReadOnlyList<ScoredChunk> fused = ScoreFusion.Fuse(Ids(dense), Ids(keyword), Options)
            .Select(f => new ScoredChunk(chunks[f.Id], f.Score))
            .ToList();
        if (_joiner is not null) fused = _joiner.Join(fused);
        IReadOnlyList<ScoredChunk> top = _diversifier is null ? fused.Take(k).ToList() : _diversifier.Select(fused, k);
        return new HybridSearch(top, dense, keyword, denseSearch.BestWholeScore);
    }

    private static List<(string Id, float Score)> Ids(IReadOnlyList<ScoredChunk> hits) =>
        hits.Select(h => (h.Chunk.Id, h.Score)).ToList();
}
