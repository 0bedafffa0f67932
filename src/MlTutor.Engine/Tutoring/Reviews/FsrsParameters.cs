namespace MlTutor.Tutoring.Reviews;

/// <summary>
/// What FSRS-6 schedules with: its 21 weights, the retention the intervals aim at, the longest interval, and the learning
/// and relearning steps (minutes apart, before an item is scheduled in days). The defaults are the published ones, except
/// that there are no steps: a review session asks each item once, so a step of minutes would only make an item due again
/// in a session that has already moved on.
/// </summary>
public sealed record FsrsParameters
{
    /// <summary>FSRS-6's published default weights w0..w20 (those Anki and the reference implementations ship).</summary>
    public static IReadOnlyList<double> DefaultWeights { get; } =
    [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ];

    public const int WeightCount = 21;

    /// <summary>
    /// The range each weight must lie in, as the FSRS optimizer keeps them (w0..w3 are initial stabilities in days, w4 an
    /// initial difficulty, w20 the forgetting curve's decay): outside them the formulas give meaningless schedules
    /// (a negative stability, a difficulty that never reverts, a curve that does not fall).
    /// </summary>
    public static IReadOnlyList<(double Min, double Max)> WeightRanges { get; } =
    [
        (0.001, 100), (0.001, 100), (0.001, 100), (0.001, 100), (1, 10), (0.001, 4), (0.001, 4), (0.001, 0.75),
        (0, 4.5), (0, 0.8), (0.001, 3.5), (0.001, 5), (0.001, 0.25), (0.001, 0.9), (0, 4), (0, 1), (1, 6), (0, 2),
        (0, 2), (0, 0.8), (0.1, 0.8),
    ];

    public static FsrsParameters Default { get; } = new();

    public IReadOnlyList<double> Weights { get; init; } = DefaultWeights;

    /// <summary>The probability of recall at which an item comes due (0.9: due when it is 90% likely to be recalled).</summary>
    public double DesiredRetention { get; init; } = 0.9;

    public int MaximumIntervalDays { get; init; } = 36500;

    public IReadOnlyList<TimeSpan> LearningSteps { get; init; } = [];

    public IReadOnlyList<TimeSpan> RelearningSteps { get; init; } = [];
}
