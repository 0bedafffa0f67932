using System.Text.Encodings.Web;
using System.Text.Json;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using Spectre.Console;

namespace MlTutor.Cli;

/// <summary>How the console host writes: JSON lines to stdout for programs, Spectre markup for people, warnings to stderr.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteJson(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>True when a person is watching: progress bars and colours make sense.</summary>
    public static bool Interactive => !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public static void Warn(IEnumerable<IngestionWarning> warnings)
    {
        foreach (var w in warnings) Console.Error.WriteLine("warning: " + w);
    }

    /// <summary>
    /// Runs an index update with a progress bar on a terminal, or stage lines on stderr otherwise
    /// (so that --json output on stdout stays clean).
    /// </summary>
    /// <param name="beforeQuery">The update that runs before a question is answered or searched: silent when nothing
    /// changed, and a corpus folder with no readable notes, an index folder that cannot be written (read-only, or a full
    /// disk) or one that another process is updating leaves the kept index in use, with a warning when it no longer
    /// matches the notes, instead of stopping the question.</param>
    /// <summary>What an update that left the kept index in use reports: nothing built.</summary>
    private static readonly IndexBuildReport KeptIndex = new(true, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, []);

    public static IndexBuildReport UpdateIndexWithProgress(Tutor tutor, bool rebuild, CancellationToken cancellationToken, bool beforeQuery = false)
    {
        try
        {
            return UpdateIndex(tutor, rebuild, cancellationToken, beforeQuery);
        }
        catch (EmptyCorpusException e) when (beforeQuery)
        {
            Console.Error.WriteLine($"warning: {e.Message}; answering from the kept index");
            return KeptIndex;
        }
        catch (IndexBusyException e) when (beforeQuery && e.KeptIndex)
        {
            // The notes changed and another process is indexing them: the last complete index answers now.
            Console.Error.WriteLine($"warning: another mltutor process is updating the index in {tutor.IndexDirectory}: answering from the last complete index");
            return KeptIndex;
        }
        catch (IndexWriteException e) when (beforeQuery && e.KeptIndex)
        {
            Console.Error.WriteLine($"warning: {e.Message}; answering from the kept index");
            return KeptIndex;
        }
        catch (IndexReadOnlyException e) when (beforeQuery && e.Freshness is IndexFreshness.UpToDate or IndexFreshness.OutOfDate)
        {
            // A shared, read-only copy of an index answers as well as any: only updating it needs a folder that can be written.
            if (e.Freshness == IndexFreshness.OutOfDate)
                Console.Error.WriteLine($"warning: the index in {e.Directory} is read-only and out of date ({e.Changes}): answering from it as it is; "
                    + $"to update it, {e.Fix}");
            return KeptIndex;
        }
    }

    private static IndexBuildReport UpdateIndex(Tutor tutor, bool rebuild, CancellationToken cancellationToken, bool beforeQuery)
    {
        IndexBuildReport report;
        if (Interactive)
        {
            report = AnsiConsole.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var progress = new InlineProgress<IndexProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                            tasks[p.Stage] = task = ctx.AddTask(p.Stage, maxValue: Math.Max(1, p.Total));
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    });
                    var r = tutor.UpdateIndex(rebuild, progress, cancellationToken, verifyContents: !beforeQuery);
                    foreach (var t in tasks.Values) t.Value = t.MaxValue;
                    return r;
                });
        }
        else report = tutor.UpdateIndex(rebuild, ProgressLines(), cancellationToken, verifyContents: !beforeQuery);
        Warn(report.Warnings);
        if (!(report.UpToDate && beforeQuery))
            Console.Error.WriteLine(Describe(report, tutor.IndexDirectory));
        return report;
    }

    /// <summary>Progress for a log: a line on stderr each time embedding passes another tenth of the work.</summary>
    public static IProgress<IndexProgress> ProgressLines()
    {
        var lastTenth = -1;
        return new InlineProgress<IndexProgress>(p =>
        {
            if (p.Stage != "Embedding" || p.Total <= 0) return;
            var tenth = p.Done * 10 / p.Total;
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Console.Error.WriteLine($"embedding: {p.Done}/{p.Total} texts (passages and their line windows)");
        });
    }

    public static string Describe(IndexBuildReport r, string indexDirectory) => r.UpToDate
        ? $"index up to date: {r.Files} files, {r.Chunks} chunks in {indexDirectory}"
        : $"indexed {r.Files} files ({r.ChangedFiles} changed, {r.RemovedFiles} removed): {r.Chunks} chunks, {r.Embedded} embedded, "
          + $"{r.Reused} reused, in {r.Elapsed.TotalSeconds:0.0} s -> {indexDirectory}";
}

/// <summary>An IProgress that reports on the caller's thread, in order.</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
