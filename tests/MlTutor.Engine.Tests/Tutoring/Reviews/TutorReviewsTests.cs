using Microsoft.Extensions.Time.Testing;
using MlTutor.Ingestion;
using MlTutor.Tutoring;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>
/// Reviews through the facade on a real review file, with a clock the tests move: an item answered today is due again
/// days later, due items come before new ones, grades map to ratings, and topics show their progress. With the real
/// notes index, an edited item keeps its history and a deleted one is retired.
/// </summary>
public sealed class TutorReviewsTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly string _reviews = TestPaths.NewTempDir("mltutor-reviews");
    private readonly string _index = TestPaths.NewTempDir("mltutor-reviews-index");
    private readonly string _corpus = TestPaths.NewTempDir("mltutor-reviews-notes");
    private readonly FakeTimeProvider _clock = new(Morning);

    private static readonly ReviewItem Adam = new("section:0a0a0a0a0a0a", "Optimizers");
    private static readonly ReviewItem Momentum = new("card:0b0b0b0b0b0b", "Optimizers");
    private static readonly ReviewItem Dropout = new("qa:0c0c0c0c0c0c", "Regularization");

    private Tutor NewTutor(TutorSettings.ReviewSettings? review = null, Action<string>? warn = null) => new(new TutorSettings
    {
        Corpus = { Directory = _corpus },
        Index = { Directory = _index },
        Review = review ?? new() { Directory = _reviews },
    }, TestPaths.RepoRoot, warn, _clock);

    public void Dispose()
    {
        foreach (var dir in new[] { _reviews, _index, _corpus })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void An_item_answered_today_is_due_again_days_later_and_asked_before_new_ones()
    {
        using var tutor = NewTutor();
        var logged = tutor.RecordReview(Adam, Rating.Good);

        Assert.Equal(Path.Combine(_reviews, ReviewStore.FileName), tutor.ReviewFile);
        Assert.True(File.Exists(tutor.ReviewFile));
        Assert.Equal(Morning.AddDays(2), logged.After.Due);
        // Today it is not due: only the new candidates are offered, and not Adam again.
        Assert.Equal([Momentum, Dropout], tutor.DueReviews([Adam, Momentum, Dropout]).Select(d => d.Item));

        _clock.Advance(TimeSpan.FromDays(2));
        var next = tutor.DueReviews([Momentum, Adam, Dropout]);

        Assert.Equal([Adam, Momentum, Dropout], next.Select(d => d.Item));
        Assert.False(next[0].IsNew);
        Assert.Equal(0.909493, next[0].Retrievability!.Value, 6);
        Assert.True(next[1].IsNew);
        Assert.Single(tutor.DueReviews([Momentum, Dropout], limit: 1));
        Assert.Equal([Adam], tutor.DueReviews([Momentum, Dropout], topic: "optim").Where(d => !d.IsNew).Select(d => d.Item));
        Assert.Equal([Dropout], tutor.DueReviews([Momentum, Dropout], topic: "REGULAR").Select(d => d.Item));

        // Answered again on its due day, it goes further out; the log holds both reviews with the clock's times.
        var again = tutor.RecordReview(Adam, Rating.Good);
        Assert.Equal(_clock.GetUtcNow().AddDays(11), again.After.Due);
        Assert.Equal([Morning, Morning.AddDays(2)], tutor.ReviewHistory(Adam.ItemId).Select(h => h.At));
    }

    [Fact]
    public void Of_several_due_items_the_one_most_likely_forgotten_comes_first()
    {
        using var tutor = NewTutor();
        tutor.RecordReview(Adam, Rating.Easy);       // due in 8 days
        tutor.RecordReview(Momentum, Rating.Again);  // due tomorrow
        _clock.Advance(TimeSpan.FromDays(30));

        var due = tutor.DueReviews([]);

        Assert.Equal([Momentum, Adam], due.Select(d => d.Item));
        Assert.True(due[0].Retrievability < due[1].Retrievability);
    }

    [Theory]
    [InlineData(GradeVerdict.Fail, 0.1, null, Rating.Again)]
    [InlineData(GradeVerdict.Partial, 0.5, 10, Rating.Hard)]
    [InlineData(GradeVerdict.Pass, 0.75, 10, Rating.Good)]
    [InlineData(GradeVerdict.Pass, 0.95, null, Rating.Good)]   // a clear pass, but how quick is unknown
    [InlineData(GradeVerdict.Pass, 0.95, 200, Rating.Good)]    // a clear pass, slowly
    [InlineData(GradeVerdict.Pass, 0.95, 30, Rating.Easy)]
    public void A_grade_maps_to_a_rating(GradeVerdict verdict, double score, int? seconds, Rating rating)
    {
        using var tutor = NewTutor();
        var answer = new GradedAnswer(verdict, score, seconds is { } s ? TimeSpan.FromSeconds(s) : null);

        Assert.Equal(rating, tutor.RatingOf(answer));
        var logged = tutor.RecordReview(Dropout, answer);
        Assert.Equal(rating, logged.Rating);
        Assert.Equal(score, tutor.ReviewHistory(Dropout.ItemId).Single().Score);
    }

    [Fact]
    public void Each_topic_shows_items_seen_retention_and_what_comes_due_today_and_this_week()
    {
        using var tutor = NewTutor();
        tutor.RecordReview(Adam, Rating.Again);     // due tomorrow
        tutor.RecordReview(Momentum, Rating.Easy);  // due in 8 days
        tutor.RecordReview(Dropout, Rating.Good);   // due in 2 days

        var sameDay = tutor.ReviewProgress();
        Assert.Equal(["Optimizers", "Regularization"], sameDay.Select(p => p.Topic));
        Assert.Equal(new TopicProgress("Optimizers", 2, 1.0, 0, 1), sameDay[0]);
        Assert.Equal(new TopicProgress("Regularization", 1, 1.0, 0, 1), sameDay[1]);

        _clock.Advance(TimeSpan.FromDays(1));
        var optimizers = tutor.ReviewProgress()[0];
        Assert.Equal(1, optimizers.DueToday);
        Assert.Equal(1, optimizers.DueThisWeek);
        // A day after the first reviews: Adam (S = 0.212) has fallen to R(1, 0.212), Momentum (S = 8.2956) to R(1, 8.2956).
        var expected = (tutor.Scheduler.Retrievability(1, 0.212) + tutor.Scheduler.Retrievability(1, 8.2956)) / 2;
        Assert.Equal(expected, optimizers.EstimatedRetention, 12);
        Assert.InRange(optimizers.EstimatedRetention, 0.7, 0.9);

        // Day 7: Momentum is due tomorrow morning, within the week; on day 8 it is due today, and Adam is overdue.
        _clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(new[] { (1, 2), (1, 1) }, tutor.ReviewProgress().Select(p => (p.DueToday, p.DueThisWeek)));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new[] { (2, 2), (1, 1) }, tutor.ReviewProgress().Select(p => (p.DueToday, p.DueThisWeek)));
    }

    [Fact]
    public void Today_ends_at_the_local_midnight_of_the_clock()
    {
        // 9:00 UTC is 21:00 in Auckland (UTC+12 in May): an item due at 13:00 UTC is due tomorrow there.
        _clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"));
        using var tutor = NewTutor(new() { Directory = _reviews, LearningStepsMinutes = [240] });
        var logged = tutor.RecordReview(Adam, Rating.Again);
        Assert.Equal(Morning.AddHours(4), logged.After.Due);

        var progress = tutor.ReviewProgress().Single();
        Assert.Equal(0, progress.DueToday);
        Assert.Equal(1, progress.DueThisWeek);

        // In London (UTC+1 in May) the same time is still today.
        _clock.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        Assert.Equal(1, tutor.ReviewProgress().Single().DueToday);
    }

    [Fact]
    public void The_review_file_is_kept_per_corpus_beside_the_index_folders_not_inside_one()
    {
        var corpus = Path.Combine(Path.GetTempPath(), "my-notes");
        var index = Tutor.DefaultIndexDirectory(corpus);
        var reviews = Tutor.DefaultReviewDirectory(corpus);

        Assert.False(reviews.StartsWith(index, StringComparison.Ordinal));
        Assert.Equal(Path.GetFileName(index), Path.GetFileName(reviews));
        Assert.Equal(Path.GetDirectoryName(Path.GetDirectoryName(index)), Path.GetDirectoryName(Path.GetDirectoryName(reviews)));
        Assert.NotEqual(reviews, Tutor.DefaultReviewDirectory(Path.Combine(Path.GetTempPath(), "other", "my-notes")));
    }

    [Fact]
    public void Bad_input_is_a_clear_error()
    {
        using var tutor = NewTutor();

        Assert.Equal(Remedy.FixInput, Assert.Throws<TutorException>(() => tutor.RecordReview(new ReviewItem(" ", "t"), Rating.Good)).Remedy);
        Assert.Contains("from 0 to 1", Assert.Throws<TutorException>(() => tutor.RecordReview(Adam, Rating.Good, score: 1.5)).Message);
        Assert.False(File.Exists(tutor.ReviewFile));
    }

    [Fact]
    public void An_edited_card_keeps_its_history_and_a_deleted_one_is_retired_until_it_is_back()
    {
        foreach (var note in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "corpus")))
            File.Copy(note, Path.Combine(_corpus, Path.GetFileName(note)));
        var flashcards = Path.Combine(_corpus, "flashcards.md");
        var original = File.ReadAllText(flashcards);
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        var roc = CardId(tutor, "What does a ROC curve plot?");
        var other = CardId(tutor, "What is the vanishing gradient problem?");
        tutor.RecordReview(new ReviewItem(roc, "Evaluation"), Rating.Good);
        tutor.RecordReview(new ReviewItem(other, "Deep learning"), Rating.Good);

        // The answer is reworded: the same card, with its history, still asked.
        File.WriteAllText(flashcards, original.Replace("The true positive rate against", "The TPR (true positive rate) plotted against"));
        tutor.UpdateIndex();
        Assert.Equal(roc, CardId(tutor, "What does a ROC curve plot?"));
        Assert.False(tutor.FindReview(roc)!.Retired);
        Assert.Single(tutor.ReviewHistory(roc));

        // The card is deleted: retired, with its history, and no longer asked or counted.
        var card = original[original.IndexOf("What does a ROC curve plot?", StringComparison.Ordinal)..];
        card = card[..(card.IndexOf("---", StringComparison.Ordinal) + 3)];
        File.WriteAllText(flashcards, original.Replace(card, ""));
        tutor.UpdateIndex();
        Assert.True(tutor.FindReview(roc)!.Retired);
        Assert.False(tutor.FindReview(other)!.Retired);
        Assert.Single(tutor.ReviewHistory(roc));
        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal([other], tutor.DueReviews([]).Select(d => d.Item.ItemId));
        Assert.Equal(["Deep learning"], tutor.ReviewProgress().Select(p => p.Topic));

        // Written back, it is asked again with the history it had.
        File.WriteAllText(flashcards, original);
        tutor.UpdateIndex();
        Assert.False(tutor.FindReview(roc)!.Retired);
        Assert.Equal(new[] { roc, other }.Order(StringComparer.Ordinal), tutor.DueReviews([]).Select(d => d.Item.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal(0, tutor.RetireReviewsGoneFromNotes().Retired);
    }

    [Fact]
    public void A_review_file_that_cannot_be_read_stops_no_index_update()
    {
        File.Copy(Path.Combine(TestPaths.RepoRoot, "corpus", "flashcards.md"), Path.Combine(_corpus, "flashcards.md"));
        File.WriteAllText(Path.Combine(_reviews, ReviewStore.FileName), "not a database\n");
        var warnings = new List<string>();
        using var tutor = NewTutor(warn: warnings.Add);

        var report = tutor.UpdateIndex();

        Assert.False(report.UpToDate);
        var warning = Assert.Single(warnings);
        Assert.Contains("reviews were not matched", warning);
        Assert.Contains("is not a review file", warning);
        Assert.Equal("not a database\n", File.ReadAllText(tutor.ReviewFile));
    }

    private static string CardId(Tutor tutor, string question) =>
        tutor.ListChunks("flashcards.md", new List<IngestionWarning>())
            .SelectMany(n => n.Chunks).SelectMany(c => c.Structure!.Items)
            .Single(i => i.Kind == ItemKind.Flashcard && i.Question == question).Id;
}
