using System.Globalization;

namespace MlTutor.Retrieval.Evaluation;

/// <summary>
/// Writes rankings in the standard TREC run format, <c>qid Q0 docid rank score tag</c>, which trec_eval and
/// every BEIR-style scorer read.
/// </summary>
public static class TrecRun
{
    public static void Write(TextWriter writer, string queryId, IReadOnlyList<(string DocId, float Score)> ranking, string tag, int depth = 100)
    {
        for (var i = 0; i < Math.Min(depth, ranking.Count); i++)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{queryId} Q0 {ranking[i].DocId} {i + 1} {ranking[i].Score:0.######} {tag}"));
    }
}
