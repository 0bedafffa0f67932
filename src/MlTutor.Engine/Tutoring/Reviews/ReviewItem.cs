namespace MlTutor.Tutoring.Reviews;

/// <summary>An item of the notes to review: its stable id (a section, flashcard or Q/A pair, see <c>Chunk.ItemId</c>)
/// and the topic its progress is counted under.</summary>
public sealed record ReviewItem(string ItemId, string Topic);

/// <summary>What a grader made of an answer.</summary>
public enum GradeVerdict
{
    Fail,
    Partial,
    Pass,
}

/// <summary>A graded answer: the verdict, the score (0..1) and, when known, how long the answer took.</summary>
public sealed record GradedAnswer(GradeVerdict Verdict, double Score, TimeSpan? AnswerTime = null);

/// <summary>An item to ask next: one that is due (with its state and the recall expected now) or a new one.</summary>
/// <param name="State">The item's review state; null for an item never reviewed.</param>
/// <param name="Retrievability">The probability it is recalled now; null for a new item.</param>
public sealed record DueReview(ReviewItem Item, ReviewedItem? State, double? Retrievability)
{
    public bool IsNew => State is null;
}

/// <summary>How a topic's reviews stand.</summary>
/// <param name="ItemsSeen">Items of the topic reviewed at least once and still in the notes.</param>
/// <param name="EstimatedRetention">The mean probability, now, of recalling those items.</param>
/// <param name="DueToday">Those due before the end of today (overdue ones included).</param>
/// <param name="DueThisWeek">Those due before the end of the sixth day after today (today's included).</param>
public sealed record TopicProgress(string Topic, int ItemsSeen, double EstimatedRetention, int DueToday, int DueThisWeek);
