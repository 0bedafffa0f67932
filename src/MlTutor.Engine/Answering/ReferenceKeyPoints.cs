using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// The key points of retrieved passages (<see cref="NoteClaims"/>), and among them the reference: the units the offline
/// answer would quote for the question (<see cref="QuoteSelection"/>), with a larger budget and every unit scoring close
/// to the best one: what a full answer says, not only the few best units an answer to read keeps to.
/// </summary>
public static class ReferenceKeyPoints
{
    /// <param name="embed">The sentence embedder that ranks units against the question.</param>
    /// <param name="characterBudget">Roughly how many characters of the notes the reference holds.</param>
    /// <param name="maxKeyPoints">The most key points in the reference.</param>
    public static ReferencePoints Of(RetrievedContext context, Func<IReadOnlyList<string>, float[][]> embed, int characterBudget, int maxKeyPoints)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Passages.Count == 0) return new ReferencePoints([], []);
        var passages = context.Passages.Select(p => p.Chunk).ToList();
        var distinct = NoteClaims.DistinctUnits(passages);
        var chosen = new QuoteSelection(new SentenceEmbedder(embed), characterBudget).Choose(context.StandaloneQuestion, distinct,
            QuoteReach.Reference(maxKeyPoints));
        var all = distinct.OrderBy(u => u.Passage).ThenBy(u => u.Order).ToList();
        var points = all.ToDictionary(u => u, u => NoteClaims.KeyPointOf(passages, u));
        return new ReferencePoints(all.Select(u => points[u]).ToList(),
            all.Where(u => chosen.Any(c => ReferenceEquals(c, u))).Select(u => points[u]).ToList());
    }
}

/// <summary>The key points of the passages a grade reads, and among them the reference: the ones a model answer quotes, or
/// a question-bank item's own.</summary>
public sealed record ReferencePoints(IReadOnlyList<KeyPoint> All, IReadOnlyList<KeyPoint> Reference);
