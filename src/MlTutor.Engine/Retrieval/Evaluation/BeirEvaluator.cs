namespace MlTutor.Retrieval.Evaluation;

/// <summary>A retriever's figures on a BEIR dataset, as BEIR and MTEB compute them (pytrec_eval: binary relevance, log2 discounts).</summary>
public sealed record BeirScores(string Retriever, double NdcgAt10, double RecallAt10, double RecallAt100, double QueriesPerSecond);

/// <summary>Ranks the whole corpus for every judged query and scores the rankings against the judgements.</summary>
public static class BeirEvaluator
{
    /// <summary>How deep each ranking goes: Recall@100 and the TREC run need the top 100.</summary>
    public const int Depth = 100;

    /// <param name="trecRun">When given, the rankings are also written to it in TREC run format, tagged with the retriever's name.</param>
    public static BeirScores Evaluate(string name, IRetriever retriever, BeirDataset dataset, TextWriter? trecRun = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        double ndcg = 0, recall10 = 0, recall100 = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var done = 0;
        foreach (var query in dataset.Queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ranking = retriever.Search(query.Text, Depth).Select(r => (r.Chunk.Id, r.Score)).ToList();
            if (trecRun != null) TrecRun.Write(trecRun, query.Id, ranking, name, Depth);
            var relevantIds = dataset.Judgements[query.Id].Keys.ToHashSet();
            var relevant = RankingMetrics.Judge(ranking.Select(r => r.Id).ToList(), relevantIds);
            ndcg += RankingMetrics.NdcgAtK(relevant, relevantIds.Count, 10);
            recall10 += RankingMetrics.RecallAtK(relevant, relevantIds.Count, 10);
            recall100 += RankingMetrics.RecallAtK(relevant, relevantIds.Count, 100);
            progress?.Report(++done);
        }
        var n = Math.Max(1, dataset.Queries.Count);
        return new BeirScores(name, ndcg / n, recall10 / n, recall100 / n, dataset.Queries.Count / Math.Max(1e-9, clock.Elapsed.TotalSeconds));
    }
}
