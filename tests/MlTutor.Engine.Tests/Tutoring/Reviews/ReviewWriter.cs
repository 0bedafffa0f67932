using System.Globalization;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>
/// A child process that saves reviews into a review file without end, a batch of <see cref="BatchSize"/> reviews per save,
/// saying on stdout when it is halfway through a save ("inside N") and when a save is done ("saved N"). Given a batch
/// number to stop at, it waits forever halfway through that save, with its transaction open, to be killed there.
/// It carries on from the batches already in the file, so it can be started again on a file a killed writer left.
/// </summary>
public static class ReviewWriter
{
    public const int BatchSize = 200;
    private const int ItemCount = 150;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 7, 0, 0, TimeSpan.Zero);

    /// <summary>The process: the review file, and the batch to stop inside (-1: none).</summary>
    public static int Run(string[] args)
    {
        var store = new ReviewStore(args[0]);
        var stopInside = int.Parse(args[1], CultureInfo.InvariantCulture);
        var fsrs = new Fsrs(FsrsParameters.Default);
        for (var batch = store.Items().Sum(i => i.Reviews) / BatchSize; ; batch++)
        {
            store.Record(Batch(batch, stopInside), fsrs);
            Console.WriteLine($"saved {batch}");
        }
    }

    public static string ItemId(int n) => $"card:{n:x12}";

    /// <summary>Reviews of every item in turn, each batch a day after the one before and its reviews seconds apart.</summary>
    private static IEnumerable<ReviewRequest> Batch(int batch, int stopInside)
    {
        for (var i = 0; i < BatchSize; i++)
        {
            if (i == BatchSize / 2)
            {
                Console.WriteLine($"inside {batch}");
                if (batch == stopInside) Thread.Sleep(Timeout.Infinite);
            }
            var n = batch * BatchSize + i;
            yield return new ReviewRequest(ItemId(n % ItemCount), $"topic {n % 7}", (Rating)(n * 7 % 4 + 1), Start.AddDays(batch).AddSeconds(i), (n % 11) / 10.0);
        }
    }
}
