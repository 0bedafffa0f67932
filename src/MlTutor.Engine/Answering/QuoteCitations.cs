using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>The citations of an extractive answer: one per quoted passage, numbered in order of first use, narrowed to the
/// lines quoted.</summary>
internal static class QuoteCitations
{
    /// <param name="quoted">The pieces quoted, in passage and note order.</param>
    /// <returns>The citations, and the number of each quoted passage's citation by the passage's rank.</returns>
    public static (List<Citation> Citations, Dictionary<int, int> Numbers) For(RetrievedContext context, List<QuoteCandidate> quoted)
    {
        var numbers = new Dictionary<int, int>();
        var citations = new List<Citation>();
        foreach (var group in quoted.GroupBy(c => c.Passage))
        {
            var chunk = context.Passages[group.Key].Chunk;
            var n = citations.Count + 1;
            numbers[group.Key] = n;
            var first = group.Min(c => c.Sentence.FirstLine);
            // A passage may join two sections: the source names the heading of the lines quoted, not the passage's first.
            citations.Add(new Citation(n, chunk.File, chunk.StartLine + first, chunk.StartLine + group.Max(c => c.Sentence.LastLine),
                chunk.HeadingPathAt(first), chunk.Id));
        }
        return (citations, numbers);
    }
}
