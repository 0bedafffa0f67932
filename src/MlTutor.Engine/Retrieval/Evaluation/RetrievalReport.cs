namespace MlTutor.Retrieval.Evaluation;

/// <summary>How one question went: the rank of the first passage that hits its evidence (null: none in the top 10),
/// whether retrieval marked it not covered, and the signals that decision read (null when not measured).</summary>
public sealed record QuestionOutcome(string Id, bool Answerable, int? FirstHitRank, bool NotCovered, CoverageSignals? Signals = null);

/// <summary>
/// One retriever's figures on a question set, by the rules of eval/score_run.py: Recall@k = share of answerable questions
/// with an evidence hit in the top k; MRR@10; nDCG@10 (binary, log2 discount; each evidence span counts once, the
/// ideal list has all of the question's spans first); abstention shares; the ids of answerable questions with no hit.
/// </summary>
public sealed record RetrievalReport(
    string Name,
    int Answerable,
    int Unanswerable,
    double RecallAt1,
    double RecallAt5,
    double MrrAt10,
    double NdcgAt10,
    double AnswerableAnswered,
    double UnanswerableAbstained,
    IReadOnlyList<string> Misses,
    IReadOnlyList<QuestionOutcome> Questions)
{
    public override string ToString() =>
        $"{Name}: R@1 {RecallAt1:F3}  R@5 {RecallAt5:F3}  MRR@10 {MrrAt10:F3}  nDCG@10 {NdcgAt10:F3}  " +
        $"answered {AnswerableAnswered:F3}  abstained {UnanswerableAbstained:F3}  ({Answerable} answerable, {Unanswerable} unanswerable, {Misses.Count} misses)";
}
