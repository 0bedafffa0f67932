using System.Diagnostics;
using Microsoft.Data.Sqlite;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>
/// A real process saving many reviews is killed (SIGKILL) in the middle of a save; the review file is then whole and
/// readable, holds every save that finished and nothing of the one cut short, and each item's state agrees with its log.
/// </summary>
public sealed class ReviewStoreCrashTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("mltutor-reviews-crash");
    private string StorePath => Path.Combine(_dir, ReviewStore.FileName);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_writer_killed_inside_a_save_leaves_every_finished_save_and_nothing_of_the_cut_one()
    {
        using (var writer = Writer(stopInside: 6))
        {
            WaitFor(writer, "inside 6");
            Kill(writer);
        }

        // Batches 0..5 were committed; batch 6 had half its reviews written inside its open transaction when the process died.
        Assert.Equal(6 * ReviewWriter.BatchSize, CheckIntact());
    }

    [Fact]
    public void Writers_killed_at_any_moment_leave_a_whole_store_that_the_next_writer_carries_on()
    {
        var random = new Random(20);
        var saved = 0;
        for (var round = 0; round < 3; round++)
        {
            using (var writer = Writer(stopInside: -1))
            {
                WaitFor(writer, "saved");
                Thread.Sleep(random.Next(0, 250));
                Kill(writer);
            }
            var reviews = CheckIntact();
            Assert.True(reviews % ReviewWriter.BatchSize == 0, $"round {round}: {reviews} reviews, not whole saves of {ReviewWriter.BatchSize}");
            Assert.True(reviews > saved, $"round {round}: the writer saved nothing more ({reviews} reviews)");
            saved = reviews;
        }
    }

    /// <summary>Checks the file the way a user's next command would read it, and returns how many reviews it holds.</summary>
    private int CheckIntact()
    {
        var store = new ReviewStore(StorePath);
        var items = store.Items();
        using (var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
            check.CommandText = "PRAGMA foreign_key_check";
            Assert.Null(check.ExecuteScalar());
        }
        // Each item's saved state is its log replayed: the state and the log entry of every review were saved together.
        var fsrs = new Fsrs(FsrsParameters.Default);
        foreach (var item in items)
        {
            var history = store.History(item.ItemId);
            Assert.Equal(item.Reviews, history.Count);
            CardState? card = null;
            foreach (var entry in history) card = fsrs.Review(card, entry.Rating, entry.At);
            Assert.Equal(item.Card, card);
        }
        return items.Sum(i => i.Reviews);
    }

    private Process Writer(int stopInside)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { typeof(Program).Assembly.Location, "write-reviews", StorePath, stopInside.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    /// <summary>Reads the writer's lines until one starts with <paramref name="prefix"/>.</summary>
    private static void WaitFor(Process writer, string prefix)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var line = writer.StandardOutput.ReadLine()
                ?? throw new Xunit.Sdk.XunitException($"the writer ended before '{prefix}': {writer.StandardError.ReadToEnd()}");
            if (line.StartsWith(prefix, StringComparison.Ordinal)) return;
        }
        throw new TimeoutException($"the writer did not say '{prefix}' within a minute");
    }

    private static void Kill(Process writer)
    {
        writer.Kill();
        Assert.True(writer.WaitForExit(10_000), "the writer did not die");
        Assert.NotEqual(0, writer.ExitCode);
    }
}
