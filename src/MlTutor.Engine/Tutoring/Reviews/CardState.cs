namespace MlTutor.Tutoring.Reviews;

/// <summary>Where an item stands in FSRS's schedule.</summary>
public enum CardStage
{
    /// <summary>New, still going through the learning steps (minutes apart).</summary>
    Learning = 1,
    /// <summary>Scheduled in days from its stability.</summary>
    Review = 2,
    /// <summary>Forgotten after it was learnt, going through the relearning steps.</summary>
    Relearning = 3,
}

/// <summary>
/// An item's memory state after its latest review, as FSRS keeps it: its stability (the days after which recall falls
/// to 90%), its difficulty (1 to 10), its stage with the learning or relearning step it is at, when it was last reviewed
/// and when it is due again. An item never reviewed has no state.
/// </summary>
/// <param name="Step">The index of the learning or relearning step the item is at; null in <see cref="CardStage.Review"/>.</param>
public sealed record CardState(CardStage Stage, int? Step, double Stability, double Difficulty, DateTimeOffset LastReview, DateTimeOffset Due)
{
    /// <summary>The time from the review to the next due date.</summary>
    public TimeSpan Interval => Due - LastReview;
}
