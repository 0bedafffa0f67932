using System.Text.Encodings.Web;
using System.Text.Json;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Tutoring;
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

    /// <summary>Builds or updates the index (the index command), with progress, then says what was done.</summary>
    public static IndexBuildReport UpdateIndex(Tutor tutor, bool rebuild, CancellationToken cancellationToken)
    {
        var report = WithProgress(progress => tutor.UpdateIndex(rebuild, progress, cancellationToken));
        Warn(report.Warnings);
        Console.Error.WriteLine(Describe(report, tutor.IndexDirectory));
        return report;
    }

    /// <summary>The update before questions (see <see cref="Tutor.UpdateBeforeQuestions"/>): silent when nothing changed.</summary>
    public static void UpdateBeforeQuestions(Tutor tutor, CancellationToken cancellationToken)
    {
        var outcome = WithProgress(progress => tutor.UpdateBeforeQuestions(progress, cancellationToken));
        if (outcome.Warning is { } warning) Console.Error.WriteLine("warning: " + ErrorReporting.WithRemedy(warning, outcome.Remedy));
        if (outcome.Report is not { } report) return;
        Warn(report.Warnings);
        if (!report.UpToDate) Console.Error.WriteLine(Describe(report, tutor.IndexDirectory));
    }

    /// <summary>
    /// Runs index work with a progress bar on a terminal, or stage lines on stderr otherwise (so that --json output on
    /// stdout stays clean).
    /// </summary>
    private static T WithProgress<T>(Func<IProgress<IndexProgress>, T> work)
    {
        if (!Interactive) return work(ProgressLines());
        return AnsiConsole.Progress()
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
                var result = work(progress);
                foreach (var t in tasks.Values) t.Value = t.MaxValue;
                return result;
            });
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
