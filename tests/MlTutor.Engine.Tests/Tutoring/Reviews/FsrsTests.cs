using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>
/// FSRS-6 against values worked out by hand from the published formulas and default weights, independently of the
/// reference file: F = 0.9^(−1/w20) − 1 = 0.980346…, and with a desired retention of 0.9 the interval is the stability
/// itself (R(S, S) = 0.9 by the curve's definition), rounded.
/// </summary>
public sealed class FsrsTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);
    private readonly Fsrs _fsrs = new(FsrsParameters.Default);

    [Theory]
    // S0 = w[rating−1]; D0 = w4 − e^(w5·(rating−1)) + 1, clamped to 1..10; interval = round(S0), at least a day.
    [InlineData(Rating.Again, 0.212, 6.4133, 1)]                // D0 = 6.4133 − 1 + 1; 0.212 rounds to 0, raised to 1
    [InlineData(Rating.Hard, 1.2931, 5.1121707, 1)]             // D0 = 7.4133 − e^0.8334 = 7.4133 − 2.3011293
    [InlineData(Rating.Good, 2.3065, 2.1181040, 2)]             // D0 = 7.4133 − e^1.6668 = 7.4133 − 5.2951960
    [InlineData(Rating.Easy, 8.2956, 1.0, 8)]                   // D0 = 7.4133 − e^2.5002 = −4.77, clamped to 1
    public void A_first_review_starts_from_the_initial_stability_and_difficulty(Rating rating, double stability, double difficulty, int days)
    {
        var card = _fsrs.Review(null, rating, Monday);

        Assert.Equal(CardStage.Review, card.Stage);
        Assert.Equal(stability, card.Stability, 1e-6);
        Assert.Equal(difficulty, card.Difficulty, 1e-6);
        Assert.Equal(Monday, card.LastReview);
        Assert.Equal(Monday.AddDays(days), card.Due);
    }

    [Fact]
    public void Recall_is_ninety_percent_after_one_stability_and_whole_on_the_day_of_review()
    {
        var card = new CardState(CardStage.Review, null, 10, 5, Monday, Monday.AddDays(10));

        Assert.Equal(1.0, _fsrs.Retrievability(card, Monday.AddHours(23)), 12);
        Assert.Equal(0.9, _fsrs.Retrievability(card, Monday.AddDays(10)), 12);
        // (1 + F·20/10)^(−w20) = 2.960693^(−0.1542)
        Assert.Equal(0.8458846, _fsrs.Retrievability(card, Monday.AddDays(20).AddHours(12)), 6);
    }

    [Fact]
    public void A_lapse_cuts_the_stability_and_raises_the_difficulty()
    {
        // S = 10, D = 5, forgotten on its due day (R = 0.9):
        // S' = w11·D^(−w12)·((S+1)^w13 − 1)·e^((1−R)·w14) = 1.4835 · 0.905906 · 0.878374 · 1.179193 = 1.391987,
        //      below the same-day bound S/e^(w17·w18) = 9.517280;
        // D' = w7·D0(Easy) + (1 − w7)·(D + (10 − D)·2·w6/9) = 0.001·(−4.771631) + 0.999·8.354889 = 8.341762.
        var card = new CardState(CardStage.Review, null, 10, 5, Monday, Monday.AddDays(10));

        var after = _fsrs.Review(card, Rating.Again, Monday.AddDays(10));

        Assert.Equal(CardStage.Review, after.Stage);
        Assert.Equal(1.391987, after.Stability, 1e-6);
        Assert.Equal(8.341762, after.Difficulty, 1e-6);
        Assert.Equal(Monday.AddDays(11), after.Due);
    }

    [Fact]
    public void A_lapse_with_a_relearning_step_is_asked_again_minutes_later()
    {
        var fsrs = new Fsrs(FsrsParameters.Default with { RelearningSteps = [TimeSpan.FromMinutes(10)] });
        var card = new CardState(CardStage.Review, null, 10, 5, Monday, Monday.AddDays(10));

        var after = fsrs.Review(card, Rating.Again, Monday.AddDays(10));

        Assert.Equal(CardStage.Relearning, after.Stage);
        Assert.Equal(0, after.Step);
        Assert.Equal(1.391987, after.Stability, 1e-6);
        Assert.Equal(Monday.AddDays(10).AddMinutes(10), after.Due);
    }

    [Fact]
    public void A_well_known_item_goes_years_ahead_up_to_the_maximum()
    {
        // S = 200, D = 3, recalled (Good) on its due day (R = 0.9):
        // S' = S·(1 + e^w8·(11 − D)·S^(−w9)·(e^((1−R)·w10) − 1)) = 200·(1 + 6.502586 · 8 · 0.413665 · 0.082854) = 556.5884;
        // D' = 0.001·(−4.771631) + 0.999·3 = 2.992228.
        var card = new CardState(CardStage.Review, null, 200, 3, Monday, Monday.AddDays(200));
        var at = Monday.AddDays(200);

        var after = _fsrs.Review(card, Rating.Good, at);
        Assert.Equal(556.5884, after.Stability, 1e-4);
        Assert.Equal(2.992228, after.Difficulty, 1e-6);
        Assert.Equal(at.AddDays(557), after.Due);

        // Aiming at 80% recall: t = S/F·(0.8^(−1/w20) − 1) = 556.5884 / 0.980346 · 3.250790 = 1845.62 → 1846 days.
        var lax = new Fsrs(FsrsParameters.Default with { DesiredRetention = 0.8 });
        Assert.Equal(at.AddDays(1846), lax.Review(card, Rating.Good, at).Due);

        var capped = new Fsrs(FsrsParameters.Default with { MaximumIntervalDays = 365 });
        Assert.Equal(at.AddDays(365), capped.Review(card, Rating.Good, at).Due);
    }

    [Fact]
    public void The_same_day_counts_in_whole_days_since_the_last_review()
    {
        var card = _fsrs.Review(null, Rating.Good, Monday);

        // 23 hours later is still day 0: the short-term formula, which keeps S after Good (its increase is below 1 here).
        var sameDay = _fsrs.Review(card, Rating.Good, Monday.AddHours(23));
        Assert.Equal(2.3065, sameDay.Stability, 1e-9);
        // 25 hours later is day 1: a recall with R = (1 + F/2.3065)^(−w20) = 0.946847, and S grows.
        Assert.Equal(0.946847, _fsrs.Retrievability(card, Monday.AddHours(25)), 6);
        Assert.True(_fsrs.Review(card, Rating.Good, Monday.AddHours(25)).Stability > 7);
    }

    [Fact]
    public void Parameters_that_cannot_schedule_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Fsrs(FsrsParameters.Default with { Weights = [.. FsrsParameters.DefaultWeights.Take(19)] }));
        Assert.Throws<ArgumentException>(() => new Fsrs(FsrsParameters.Default with { DesiredRetention = 1 }));
        Assert.Throws<ArgumentException>(() => new Fsrs(FsrsParameters.Default with { MaximumIntervalDays = 0 }));
    }
}
