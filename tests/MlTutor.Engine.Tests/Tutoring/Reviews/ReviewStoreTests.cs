using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>The review file on a real SQLite file: states and logs read back, retirement, and files it must not touch.</summary>
public sealed class ReviewStoreTests : IDisposable
{
    private static readonly DateTimeOffset Day0 = new(2026, 4, 1, 18, 0, 0, TimeSpan.Zero);
    private readonly string _dir = TestPaths.NewTempDir("mltutor-reviews");
    private readonly Fsrs _fsrs = new(FsrsParameters.Default);
    private ReviewStore Store => new(Path.Combine(_dir, "corpus-reviews", ReviewStore.FileName));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Reviews_are_read_back_with_the_state_they_left_and_the_recall_expected_before()
    {
        Assert.False(Store.Exists);
        Assert.Null(Store.Find("card:0123456789ab"));

        Store.Record([new ReviewRequest("card:0123456789ab", "Optimizers", Rating.Good, Day0, 0.8)], _fsrs);
        var second = Store.Record([new ReviewRequest("card:0123456789ab", "Optimizers", Rating.Hard, Day0.AddDays(2), 0.5)], _fsrs).Single();

        var item = Store.Find("card:0123456789ab")!;
        Assert.Equal(2, item.Reviews);
        Assert.Equal("Optimizers", item.Topic);
        Assert.False(item.Retired);
        Assert.Equal(_fsrs.Review(_fsrs.Review(null, Rating.Good, Day0), Rating.Hard, Day0.AddDays(2)), item.Card);
        Assert.Equal(second.After, item.Card);

        var history = Store.History("card:0123456789ab");
        Assert.Equal([Rating.Good, Rating.Hard], history.Select(h => h.Rating));
        Assert.Equal([0.8, 0.5], history.Select(h => h.Score!.Value));
        Assert.Null(history[0].RetrievabilityBefore);
        Assert.Equal(0.909493, history[1].RetrievabilityBefore!.Value, 6);
        Assert.Equal(Day0.AddDays(2), history[1].At);
    }

    [Fact]
    public void A_batch_with_a_bad_review_saves_none_of_it()
    {
        Store.Record([new ReviewRequest("qa:aaaaaaaaaaaa", "t", Rating.Good, Day0)], _fsrs);

        Assert.ThrowsAny<ArgumentException>(() => Store.Record(
            [new ReviewRequest("qa:aaaaaaaaaaaa", "t", Rating.Good, Day0.AddDays(3)), new ReviewRequest("qa:bbbbbbbbbbbb", "t", Rating.Good, Day0, Score: 7)], _fsrs));

        Assert.Equal(1, Store.Find("qa:aaaaaaaaaaaa")!.Reviews);
        Assert.Null(Store.Find("qa:bbbbbbbbbbbb"));
    }

    [Fact]
    public void Items_gone_from_the_notes_are_retired_with_their_history_and_come_back_with_it()
    {
        foreach (var id in new[] { "card:000000000001", "card:000000000002", "section:000000000003" })
            Store.Record([new ReviewRequest(id, "t", Rating.Good, Day0)], _fsrs);

        Assert.Equal(new RetirementChange(1, 0), Store.Retire(["card:000000000001", "section:000000000003", "card:00000000000f"], Day0.AddDays(5)));
        var gone = Store.Find("card:000000000002")!;
        Assert.Equal(Day0.AddDays(5), gone.RetiredAt);
        Assert.Single(Store.History("card:000000000002"));
        Assert.Equal(3, Store.Items().Count);

        // Retiring again changes nothing; the lines coming back restore the item as it was.
        Assert.Equal(new RetirementChange(0, 0), Store.Retire(["card:000000000001", "section:000000000003"], Day0.AddDays(6)));
        Assert.Equal(new RetirementChange(0, 1), Store.Retire(["card:000000000001", "card:000000000002", "section:000000000003"], Day0.AddDays(7)));
        Assert.Equal(gone with { RetiredAt = null }, Store.Find("card:000000000002"));
    }

    [Fact]
    public void A_file_that_is_not_a_review_file_is_one_line_naming_it_and_is_left_as_it_was()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Store.Path)!);
        File.WriteAllText(Store.Path, "my own notes, not a database\n");

        var e = Assert.Throws<TutorException>(() => Store.Record([new ReviewRequest("card:000000000001", "t", Rating.Good, Day0)], _fsrs));

        Assert.Contains(Store.Path, e.Message);
        Assert.Contains("is not a review file", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal("Review:Directory", e.Setting);
        Assert.Equal("my own notes, not a database\n", File.ReadAllText(Store.Path));
    }

    [Fact]
    public void A_file_from_a_later_version_is_refused()
    {
        Store.Record([new ReviewRequest("card:000000000001", "t", Rating.Good, Day0)], _fsrs);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Store.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<TutorException>(() => Store.Find("card:000000000001"));
        Assert.Contains("later version", e.Message);
    }
}
