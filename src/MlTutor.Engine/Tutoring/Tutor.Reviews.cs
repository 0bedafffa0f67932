using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tutoring;

/// <summary>
/// Spaced repetition of the notes' items: graded reviews scheduled with FSRS-6 into the corpus's review file, the items to
/// ask next, and each topic's progress. Times come from <see cref="Clock"/>.
/// </summary>
public sealed partial class Tutor
{
    private readonly Lazy<Fsrs> _scheduler;

    /// <summary>The clock reviews are recorded and scheduled by.</summary>
    public TimeProvider Clock { get; }

    /// <summary>The folder of the corpus's review file (Review:Directory, or one per corpus under the user's data
    /// directory, outside the index folder: see <see cref="DefaultReviewDirectory"/>).</summary>
    public string ReviewDirectory { get; }

    public string ReviewFile => Path.Combine(ReviewDirectory, ReviewStore.FileName);

    /// <summary>The scheduler with the configured weights, retention and steps.</summary>
    public Fsrs Scheduler => _scheduler.Value;

    private ReviewStore Reviews => new(ReviewFile);

    /// <summary>Records a review of <paramref name="item"/> now, rated <paramref name="rating"/>, and schedules the item.</summary>
    /// <param name="score">The grade's score (0..1) to keep in the log, when the rating came from one.</param>
    /// <returns>The review as logged: the recall expected before it and the state it left, with the next due time.</returns>
    public ReviewLogEntry RecordReview(ReviewItem item, Rating rating, double? score = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (string.IsNullOrWhiteSpace(item.ItemId))
            throw new TutorException("a review needs the id of the item reviewed", Remedy.FixInput);
        if (score is { } s && !(s is >= 0 and <= 1))
            throw new TutorException($"a score of {s} cannot be recorded: a score lies from 0 to 1", Remedy.FixInput);
        return Reviews.Record([new ReviewRequest(item.ItemId, item.Topic, rating, Clock.GetUtcNow(), score)], Scheduler).Single();
    }

    /// <summary>Records a graded answer to <paramref name="item"/>, rated by <see cref="RatingOf"/>.</summary>
    public ReviewLogEntry RecordReview(ReviewItem item, GradedAnswer answer) => RecordReview(item, RatingOf(answer), answer.Score);

    /// <summary>
    /// The FSRS rating of a graded answer: a fail is Again, a partial answer Hard, a pass Good, and a clear pass given
    /// quickly (a score of at least Review:EasyMinScore within Review:EasyMaxSeconds) Easy.
    /// </summary>
    public Rating RatingOf(GradedAnswer answer) => answer.Verdict switch
    {
        GradeVerdict.Fail => Rating.Again,
        GradeVerdict.Partial => Rating.Hard,
        GradeVerdict.Pass when answer.Score >= Settings.Review.EasyMinScore
                               && answer.AnswerTime is { } time && time <= TimeSpan.FromSeconds(Settings.Review.EasyMaxSeconds) => Rating.Easy,
        GradeVerdict.Pass => Rating.Good,
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer.Verdict, "not a verdict"),
    };

    /// <summary>
    /// The items to ask next: those due now, the least likely to be recalled first, then the never-reviewed ones among
    /// <paramref name="candidates"/> in their order, up to <paramref name="limit"/>. Retired items (gone from the notes) are
    /// not asked. With a <paramref name="topic"/>, only items whose topic contains it (in any case).
    /// </summary>
    public IReadOnlyList<DueReview> DueReviews(IEnumerable<ReviewItem> candidates, int limit = int.MaxValue, string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (limit < 0) throw new TutorException($"{limit} items cannot be asked: ask for 0 or more", Remedy.FixInput);
        var now = Clock.GetUtcNow();
        var items = Reviews.Items();
        var known = items.Select(i => i.ItemId).ToHashSet(StringComparer.Ordinal);
        var due = items
            .Where(i => !i.Retired && i.Card.Due <= now && OnTopic(i.Topic, topic))
            .Select(i => new DueReview(new ReviewItem(i.ItemId, i.Topic), i, Scheduler.Retrievability(i.Card, now)))
            .OrderBy(d => d.Retrievability).ThenBy(d => d.State!.Card.Due);
        var fresh = candidates
            .Where(c => OnTopic(c.Topic, topic) && known.Add(c.ItemId))
            .Select(c => new DueReview(c, null, null));
        return [.. due.Concat(fresh).Take(limit)];
    }

    /// <summary>Per topic, in name order: items seen, their estimated retention now, and how many come due today and
    /// within the week, by the clock's local days. Retired items are left out.</summary>
    public IReadOnlyList<TopicProgress> ReviewProgress()
    {
        var now = Clock.GetUtcNow();
        var today = Clock.GetLocalNow();
        var endOfToday = new DateTimeOffset(today.Date.AddDays(1), Clock.LocalTimeZone.GetUtcOffset(today.Date.AddDays(1)));
        var endOfWeek = new DateTimeOffset(today.Date.AddDays(7), Clock.LocalTimeZone.GetUtcOffset(today.Date.AddDays(7)));
        return Reviews.Items()
            .Where(i => !i.Retired)
            .GroupBy(i => i.Topic, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new TopicProgress(g.Key, g.Count(), g.Average(i => Scheduler.Retrievability(i.Card, now)),
                g.Count(i => i.Card.Due < endOfToday), g.Count(i => i.Card.Due < endOfWeek)))
            .ToList();
    }

    /// <summary>The item's review state, or null when it was never reviewed.</summary>
    public ReviewedItem? FindReview(string itemId) => Reviews.Find(itemId);

    /// <summary>The item's reviews, oldest first.</summary>
    public IReadOnlyList<ReviewLogEntry> ReviewHistory(string itemId) => Reviews.History(itemId);

    /// <summary>
    /// Matches the review file with the items of the index in use: an item whose lines are gone from the notes is retired
    /// (kept with its history, no longer asked), and one whose lines are back is restored. An index update does this
    /// by itself whenever the notes changed.
    /// </summary>
    public RetirementChange RetireReviewsGoneFromNotes()
    {
        using var lease = _live.Acquire();
        return RetireReviewsMissingFrom(lease.Index.Chunks);
    }

    /// <summary>After an update: the new generation's items against the review file, when there is one. A review file
    /// that cannot be matched now stops no update; it is matched at the next one.</summary>
    private void RetireReviewsOf(IndexFolder folder)
    {
        if (!File.Exists(ReviewFile) || folder.CurrentGeneration is not { } generation) return;
        try
        {
            RetireReviewsMissingFrom(ChunkStore.ReadChunksWithoutVectors(Path.Combine(generation, ChunkStore.FileName)));
        }
        catch (TutorException e)
        {
            _warn($"the reviews were not matched with the updated notes: {e.Message}");
        }
    }

    private RetirementChange RetireReviewsMissingFrom(IReadOnlyList<Chunk> chunks)
    {
        // An index written before chunks carried their items cannot tell which items are gone: nothing is retired.
        if (chunks.Any(c => c.Structure is null)) return new RetirementChange(0, 0);
        var present = chunks.SelectMany(c => c.Structure!.Items).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        return Reviews.Retire(present, Clock.GetUtcNow());
    }

    private static bool OnTopic(string itemTopic, string? topic) =>
        string.IsNullOrWhiteSpace(topic) || itemTopic.Contains(topic.Trim(), StringComparison.OrdinalIgnoreCase);
}
