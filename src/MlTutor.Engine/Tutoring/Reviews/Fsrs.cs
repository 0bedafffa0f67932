namespace MlTutor.Tutoring.Reviews;

/// <summary>
/// The FSRS-6 scheduler (Free Spaced Repetition Scheduler, the one Anki ships): from an item's memory state and a rating,
/// its next state and due time. Memory is a stability S (days until recall falls to 90%) and a difficulty D (1..10);
/// recall after t days follows the forgetting curve R(t, S) = (1 + F·t/S)^(−w20) with F = 0.9^(−1/w20) − 1, and the next
/// interval is the t at which R falls to the desired retention. As in the reference implementation (py-fsrs), time since
/// the last review counts in whole days (the floor), a review on the same day changes stability by the short-term
/// formula, and intervals are whole days, rounded, at least 1 and at most the maximum.
/// </summary>
public sealed class Fsrs
{
    /// <summary>The floor FSRS keeps every stability above, so that the forgetting curve stays defined.</summary>
    private const double MinStability = 0.001;

    private readonly double[] _w;
    private readonly double _decay;
    private readonly double _factor;

    public Fsrs(FsrsParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Weights.Count != FsrsParameters.WeightCount)
            throw new ArgumentException($"FSRS-6 takes {FsrsParameters.WeightCount} weights, not {parameters.Weights.Count}", nameof(parameters));
        if (parameters.DesiredRetention is not (> 0 and < 1))
            throw new ArgumentException($"the desired retention must lie between 0 and 1, not {parameters.DesiredRetention}", nameof(parameters));
        if (parameters.MaximumIntervalDays < 1)
            throw new ArgumentException($"the maximum interval must be at least a day, not {parameters.MaximumIntervalDays}", nameof(parameters));
        Parameters = parameters;
        _w = [.. parameters.Weights];
        _decay = -_w[20];
        _factor = Math.Pow(0.9, 1 / _decay) - 1;
    }

    public FsrsParameters Parameters { get; }

    /// <summary>The state after a review rated <paramref name="rating"/> at <paramref name="at"/>; a null
    /// <paramref name="card"/> is an item reviewed for the first time.</summary>
    public CardState Review(CardState? card, Rating rating, DateTimeOffset at)
    {
        if (!Enum.IsDefined(rating)) throw new ArgumentOutOfRangeException(nameof(rating), rating, "not a rating");
        var (stability, difficulty) = card is null
            ? (InitialStability(rating), InitialDifficulty(rating))
            : (NextStability(card, rating, at), NextDifficulty(card.Difficulty, rating));
        var (stage, step, interval) = (card?.Stage ?? CardStage.Learning) switch
        {
            CardStage.Learning => Stepped(CardStage.Learning, Parameters.LearningSteps, card?.Step ?? 0, rating, stability),
            CardStage.Relearning => Stepped(CardStage.Relearning, Parameters.RelearningSteps, card!.Step ?? 0, rating, stability),
            _ when rating == Rating.Again && Parameters.RelearningSteps.Count > 0 => (CardStage.Relearning, 0, Parameters.RelearningSteps[0]),
            _ => (CardStage.Review, (int?)null, Days(stability)),
        };
        return new CardState(stage, step, stability, difficulty, at, at + interval);
    }

    /// <summary>The probability that the item is recalled at <paramref name="at"/>: 1 on the day of its last review.</summary>
    public double Retrievability(CardState card, DateTimeOffset at) => Retrievability(ElapsedDays(card.LastReview, at), card.Stability);

    /// <summary>The forgetting curve: recall after <paramref name="days"/> of an item with stability <paramref name="stability"/>.</summary>
    public double Retrievability(double days, double stability) => Math.Pow(1 + _factor * days / stability, _decay);

    /// <summary>The interval in whole days after which recall falls to the desired retention.</summary>
    public int IntervalDays(double stability)
    {
        var days = stability / _factor * (Math.Pow(Parameters.DesiredRetention, 1 / _decay) - 1);
        // Math.Round rounds halves to even, as the reference does.
        return (int)Math.Clamp(Math.Round(days), 1, Parameters.MaximumIntervalDays);
    }

    /// <summary>Whole days from one time to a later one (the floor); a time before the first counts as the same day.</summary>
    public static long ElapsedDays(DateTimeOffset from, DateTimeOffset to) => Math.Max(0, (to - from).Ticks / TimeSpan.TicksPerDay);

    private TimeSpan Days(double stability) => TimeSpan.FromDays(IntervalDays(stability));

    /// <summary>The next stage, step and interval of an item in its learning or relearning steps: Again starts them over,
    /// Hard repeats the step (the first one a little longer), Good moves to the next, and Easy, or Good on the last step,
    /// graduates it to days. With no steps (or fewer than the item was at) it is scheduled in days at once.</summary>
    private (CardStage, int?, TimeSpan) Stepped(CardStage stage, IReadOnlyList<TimeSpan> steps, int step, Rating rating, double stability)
    {
        if (steps.Count == 0 || (step >= steps.Count && rating != Rating.Again))
            return (CardStage.Review, null, Days(stability));
        return rating switch
        {
            Rating.Again => (stage, 0, steps[0]),
            Rating.Hard when step == 0 => (stage, 0, steps.Count == 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2),
            Rating.Hard => (stage, step, steps[step]),
            Rating.Good when step + 1 < steps.Count => (stage, step + 1, steps[step + 1]),
            _ => (CardStage.Review, null, Days(stability)),
        };
    }

    private double InitialStability(Rating rating) => Math.Max(_w[(int)rating - 1], MinStability);

    private double InitialDifficulty(Rating rating) => ClampDifficulty(UnclampedInitialDifficulty(rating));

    private double UnclampedInitialDifficulty(Rating rating) => _w[4] - Math.Exp(_w[5] * ((int)rating - 1)) + 1;

    /// <summary>Difficulty moves by −w6·(rating − 3), damped linearly as it nears 10, then reverts by w7 towards the
    /// initial difficulty of Easy.</summary>
    private double NextDifficulty(double difficulty, Rating rating)
    {
        var delta = -_w[6] * ((int)rating - 3);
        var damped = difficulty + (10 - difficulty) * delta / 9;
        return ClampDifficulty(_w[7] * UnclampedInitialDifficulty(Rating.Easy) + (1 - _w[7]) * damped);
    }

    private double NextStability(CardState card, Rating rating, DateTimeOffset at)
    {
        var stability = ElapsedDays(card.LastReview, at) < 1
            ? ShortTermStability(card.Stability, rating)
            : rating == Rating.Again
                ? ForgetStability(card.Difficulty, card.Stability, Retrievability(card, at))
                : RecallStability(card.Difficulty, card.Stability, Retrievability(card, at), rating);
        return Math.Max(stability, MinStability);
    }

    /// <summary>A review on the day of the last one: S·e^(w17·(rating − 3 + w18))·S^(−w19); only Again may lower it.</summary>
    private double ShortTermStability(double stability, Rating rating)
    {
        var increase = Math.Exp(_w[17] * ((int)rating - 3 + _w[18])) * Math.Pow(stability, -_w[19]);
        if (rating != Rating.Again) increase = Math.Max(increase, 1);
        return stability * increase;
    }

    /// <summary>A successful recall: the stability grows the more, the easier the item, the lower the stability and the
    /// lower the recall was (a harder-won recall strengthens memory more); Hard is penalised by w15, Easy rewarded by w16.</summary>
    private double RecallStability(double difficulty, double stability, double retrievability, Rating rating)
    {
        var hardPenalty = rating == Rating.Hard ? _w[15] : 1;
        var easyBonus = rating == Rating.Easy ? _w[16] : 1;
        return stability * (1 + Math.Exp(_w[8]) * (11 - difficulty) * Math.Pow(stability, -_w[9])
            * (Math.Exp((1 - retrievability) * _w[10]) - 1) * hardPenalty * easyBonus);
    }

    /// <summary>A lapse: the stability after forgetting, never above what a same-day Again would leave.</summary>
    private double ForgetStability(double difficulty, double stability, double retrievability)
    {
        var longTerm = _w[11] * Math.Pow(difficulty, -_w[12]) * (Math.Pow(stability + 1, _w[13]) - 1) * Math.Exp((1 - retrievability) * _w[14]);
        var shortTerm = stability / Math.Exp(_w[17] * _w[18]);
        return Math.Min(longTerm, shortTerm);
    }

    private static double ClampDifficulty(double difficulty) => Math.Clamp(difficulty, 1, 10);
}
