namespace MlTutor.Retrieval.Evaluation;

/// <summary>Runs a question set through retrieval and scores it (<see cref="RetrievalReport"/>).</summary>
public static class RetrievalEvaluator
{
    /// <summary>Results looked at per question, as the scoring script does.</summary>
    public const int Depth = 10;

    /// <summary>Scores a retriever alone: nothing is ever marked not covered.</summary>
    public static RetrievalReport Evaluate(string name, IRetriever retriever, IReadOnlyList<EvalQuestion> questions, EvidenceLocator locator) =>
        Evaluate(name, q => new RetrievedContext(q, retriever.Search(q, Depth), false), questions, locator);

    /// <summary>Scores a full retrieval step (passages plus its not-covered decision).</summary>
    /// <exception cref="InvalidDataException">An answerable question's evidence cannot be found in the notes.</exception>
    public static RetrievalReport Evaluate(
        string name, Func<string, RetrievedContext> retrieve, IReadOnlyList<EvalQuestion> questions, EvidenceLocator locator)
    {
        var answerable = questions.Where(q => q.Answerable).ToList();
        var spans = answerable.ToDictionary(q => q.Id, locator.LocateAll);
        var outcomes = new List<QuestionOutcome>();
        double r1 = 0, r5 = 0, mrr = 0, ndcg = 0;
        foreach (var question in questions)
        {
            var context = retrieve(question.Question);
            if (!question.Answerable)
            {
                outcomes.Add(new QuestionOutcome(question.Id, false, null, context.NotCovered, context.Signals));
                continue;
            }
            var relevant = Judge(context.Passages.Take(Depth).ToList(), spans[question.Id]);
            var first = RankingMetrics.FirstRelevantRank(relevant, Depth);
            r1 += RankingMetrics.SuccessAtK(relevant, 1);
            r5 += RankingMetrics.SuccessAtK(relevant, 5);
            mrr += RankingMetrics.ReciprocalRankAtK(relevant, Depth);
            ndcg += RankingMetrics.NdcgAtK(relevant, spans[question.Id].Count, Depth);
            outcomes.Add(new QuestionOutcome(question.Id, true, first, context.NotCovered, context.Signals));
        }
        var n = Math.Max(answerable.Count, 1);
        var unanswerable = outcomes.Where(o => !o.Answerable).ToList();
        return new RetrievalReport(
            name, answerable.Count, unanswerable.Count,
            r1 / n, r5 / n, mrr / n, ndcg / n,
            outcomes.Count(o => o.Answerable && !o.NotCovered) / (double)n,
            unanswerable.Count(o => o.NotCovered) / (double)Math.Max(unanswerable.Count, 1),
            outcomes.Where(o => o.Answerable && o.FirstHitRank is null).Select(o => o.Id).ToList(),
            outcomes);
    }

    /// <summary>
    /// Relevance of each passage by the hit rule. A passage is relevant when it hits an evidence span that no earlier
    /// passage hit, so overlapping chunks over the same quote count once and nDCG stays within 0..1.
    /// </summary>
    public static bool[] Judge(IReadOnlyList<ScoredChunk> passages, IReadOnlyList<EvidenceSpan> spans)
    {
        var found = new bool[spans.Count];
        var relevant = new bool[passages.Count];
        for (var i = 0; i < passages.Count; i++)
        {
            var chunk = passages[i].Chunk;
            for (var s = 0; s < spans.Count; s++)
            {
                if (found[s] || !EvidenceLocator.IsHit(chunk.File, chunk.StartLine, chunk.EndLine, spans[s]))
                    continue;
                found[s] = true;
                relevant[i] = true;
            }
        }
        return relevant;
    }
}
