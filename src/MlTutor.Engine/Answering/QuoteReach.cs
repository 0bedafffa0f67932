namespace MlTutor.Answering;

/// <summary>
/// How far a choice of quotes (<see cref="QuoteSelection"/>) reaches. An answer to read keeps to the few best units and
/// leans on retrieval's order: the passage retrieval ranks first most often holds what was asked, and the same fact
/// quoted again from another note adds words nobody asked for. A reference of what a full answer says (the key points a
/// grade compares an answer with) reaches further, to every unit close to the best wherever it stands.
/// </summary>
/// <param name="MaxUnits">The most units chosen (a formula asked for, with the words that lead to it, may come on top).</param>
/// <param name="CloseUnits">How many units are taken at the looser threshold of the second one.</param>
/// <param name="RankPenalty">Score taken off per retrieval rank of a unit's passage when units are scored by meaning:
/// retrieval's order is evidence too. Scored by shared words alone (no embedder), the lean stays a fixed small one.</param>
/// <param name="OtherPassageMargin">How far above its threshold a unit must score to be quoted from another passage than
/// the first unit's (the best one of reasonable length).</param>
internal sealed record QuoteReach(int MaxUnits, int CloseUnits, double RankPenalty, double OtherPassageMargin)
{
    // Measured on the dev questions: answers by evidence recall, precision and cited lines; references by grading.
    public static QuoteReach Answer { get; } = new(ExtractiveAnswerer.MaxSentences, CloseUnits: 2, RankPenalty: 0.06, OtherPassageMargin: 0.05);

    public static QuoteReach Reference(int maxKeyPoints) => new(maxKeyPoints, maxKeyPoints, RankPenalty: 0.03, OtherPassageMargin: 0);
}
