namespace MlTutor.Retrieval;

/// <summary>
/// Merges two rankings of the same documents (dense and keyword) into one, best first. Works on ids so that the
/// benchmark harness can fuse document rankings as well as chunk rankings.
/// </summary>
public static class ScoreFusion
{
    /// <summary>
    /// Fuses <paramref name="dense"/> and <paramref name="keyword"/> (each best first) by <see cref="HybridOptions.Method"/>.
    /// A document found by only one list is kept. Ties are broken by the better single-list rank, then by dense rank,
    /// then by id, so the order is deterministic and a document that heads both lists heads the result.
    /// </summary>
    public static IReadOnlyList<(string Id, float Score)> Fuse(
        IReadOnlyList<(string Id, float Score)> dense,
        IReadOnlyList<(string Id, float Score)> keyword,
        HybridOptions options)
    {
        var denseRanks = Ranks(dense);
        var keywordRanks = Ranks(keyword);
        var fused = options.Method switch
        {
            FusionMethod.ReciprocalRank => Reciprocal(denseRanks, keywordRanks, options),
            FusionMethod.ConvexMinMax => Convex(dense, keyword, denseRanks, keywordRanks, options.DenseWeight, MinMax),
            FusionMethod.ConvexZScore => Convex(dense, keyword, denseRanks, keywordRanks, options.DenseWeight, ZScore),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Method, "Unknown fusion method."),
        };
        return fused
            .Select(pair => (Id: pair.Key, Score: pair.Value,
                Dense: denseRanks.GetValueOrDefault(pair.Key, int.MaxValue),
                Keyword: keywordRanks.GetValueOrDefault(pair.Key, int.MaxValue)))
            .OrderByDescending(d => d.Score)
            .ThenBy(d => Math.Min(d.Dense, d.Keyword))
            .ThenBy(d => d.Dense)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => (d.Id, (float)d.Score))
            .ToList();
    }

    /// <summary>1-based rank of each id; a repeated id keeps its first (best) rank.</summary>
    private static Dictionary<string, int> Ranks(IReadOnlyList<(string Id, float Score)> list)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
            ranks.TryAdd(list[i].Id, i + 1);
        return ranks;
    }

    private static Dictionary<string, double> Reciprocal(
        Dictionary<string, int> denseRanks, Dictionary<string, int> keywordRanks, HybridOptions options)
    {
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, rank) in denseRanks)
            fused[id] = options.DenseWeight / (double)(options.RrfK + rank);
        foreach (var (id, rank) in keywordRanks)
            fused[id] = fused.GetValueOrDefault(id) + options.KeywordWeight / (double)(options.RrfK + rank);
        return fused;
    }

    private static Dictionary<string, double> Convex(
        IReadOnlyList<(string Id, float Score)> dense, IReadOnlyList<(string Id, float Score)> keyword,
        Dictionary<string, int> denseRanks, Dictionary<string, int> keywordRanks, float denseWeight,
        Func<IReadOnlyList<(string Id, float Score)>, Dictionary<string, int>, (Dictionary<string, double> Values, double Missing)> normalise)
    {
        var (denseNorm, denseMissing) = normalise(dense, denseRanks);
        var (keywordNorm, keywordMissing) = normalise(keyword, keywordRanks);
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var id in denseRanks.Keys.Concat(keywordRanks.Keys))
            fused[id] = denseWeight * denseNorm.GetValueOrDefault(id, denseMissing)
                        + (1 - denseWeight) * keywordNorm.GetValueOrDefault(id, keywordMissing);
        return fused;
    }

    /// <summary>(s − min) / (max − min) over the list; all-equal scores map to 1. A document missing from the list gets 0,
    /// the value of the list's worst candidate: absence is never better than being retrieved last.</summary>
    private static (Dictionary<string, double>, double) MinMax(IReadOnlyList<(string Id, float Score)> list, Dictionary<string, int> ranks)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (list.Count == 0)
            return (values, 0);
        double min = list.Min(d => d.Score), max = list.Max(d => d.Score);
        foreach (var (id, rank) in ranks)
            values[id] = max > min ? (list[rank - 1].Score - min) / (max - min) : 1;
        return (values, 0);
    }

    /// <summary>(s − mean) / deviation over the list; all-equal scores map to 0. A document missing from the list gets
    /// the list's lowest value, for the same reason as in min-max.</summary>
    private static (Dictionary<string, double>, double) ZScore(IReadOnlyList<(string Id, float Score)> list, Dictionary<string, int> ranks)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (list.Count == 0)
            return (values, 0);
        var mean = list.Average(d => (double)d.Score);
        var deviation = Math.Sqrt(list.Average(d => (d.Score - mean) * (d.Score - mean)));
        foreach (var (id, rank) in ranks)
            values[id] = deviation > 0 ? (list[rank - 1].Score - mean) / deviation : 0;
        return (values, values.Values.Min());
    }
}
