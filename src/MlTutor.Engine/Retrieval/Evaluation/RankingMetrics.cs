namespace MlTutor.Retrieval.Evaluation;

/// <summary>
/// Ranking metrics over a ranked list of binary relevance judgements (index 0 = rank 1), shared by the notes evaluation
/// and the document benchmark. Cut-offs larger than the list read the whole list.
/// </summary>
public static class RankingMetrics
{
    /// <summary>1-based rank of the first relevant item within the top <paramref name="k"/>, or null.</summary>
    public static int? FirstRelevantRank(IReadOnlyList<bool> relevant, int k)
    {
        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
            if (relevant[i])
                return i + 1;
        return null;
    }

    /// <summary>1 when anything relevant is in the top <paramref name="k"/>, else 0 (what the notes evaluation calls Recall@k,
    /// since any one evidence passage answers the question).</summary>
    public static double SuccessAtK(IReadOnlyList<bool> relevant, int k) => FirstRelevantRank(relevant, k) is null ? 0 : 1;

    /// <summary>Relevant items in the top <paramref name="k"/> / all relevant items (the benchmark's Recall@k); 0 when nothing is relevant.</summary>
    public static double RecallAtK(IReadOnlyList<bool> relevant, int totalRelevant, int k) =>
        totalRelevant <= 0 ? 0 : Math.Min(1.0, relevant.Take(k).Count(r => r) / (double)totalRelevant);

    /// <summary>1 / rank of the first relevant item within the top <paramref name="k"/>, or 0.</summary>
    public static double ReciprocalRankAtK(IReadOnlyList<bool> relevant, int k) =>
        FirstRelevantRank(relevant, k) is { } rank ? 1.0 / rank : 0;

    /// <summary>Σ over relevant ranks r ≤ k of 1 / log2(r + 1).</summary>
    public static double DcgAtK(IReadOnlyList<bool> relevant, int k)
    {
        double dcg = 0;
        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
            if (relevant[i])
                dcg += 1 / Math.Log2(i + 2);
        return dcg;
    }

    /// <summary>DCG@k / the DCG@k of an ideal list with all <paramref name="totalRelevant"/> relevant items first; 0 when nothing is relevant.</summary>
    public static double NdcgAtK(IReadOnlyList<bool> relevant, int totalRelevant, int k)
    {
        if (totalRelevant <= 0)
            return 0;
        double ideal = 0;
        for (var i = 0; i < Math.Min(k, totalRelevant); i++)
            ideal += 1 / Math.Log2(i + 2);
        return Math.Min(1.0, DcgAtK(relevant, k) / ideal);
    }

    /// <summary>Relevance of a ranked list of ids against the relevant ids; an id repeated in the list counts once.</summary>
    public static bool[] Judge(IReadOnlyList<string> rankedIds, IReadOnlySet<string> relevantIds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return rankedIds.Select(id => relevantIds.Contains(id) && seen.Add(id)).ToArray();
    }
}
