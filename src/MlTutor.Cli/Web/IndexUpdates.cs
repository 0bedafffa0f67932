using MlTutor.Indexing;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Web;

/// <summary>
/// The server's index updates, one at a time: the quick one before each question (the notes may have been edited since
/// the last), and a re-index asked for by the page. A question that comes while an update runs does not wait for it:
/// it is answered from the index in use, which the tutor keeps until the new one is published.
/// </summary>
public sealed class IndexUpdates(Tutor tutor)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Brings the index up to date unless an update is running; returns what the user should be told, or null.</summary>
    public string? BeforeQuestion()
    {
        if (!_one.Wait(0)) return null;
        try
        {
            var outcome = tutor.UpdateBeforeQuestions();
            return outcome.Warning is { } warning ? ErrorReporting.WithRemedy(warning, outcome.Remedy) : null;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// Starts updating the index, checking every file (embedding every note again with <paramref name="rebuild"/>); null
    /// when another update is running. The update runs to its end even when nobody waits for it any more: a page closed
    /// in the middle does not waste the work done.
    /// </summary>
    public Task<IndexBuildReport>? TryStart(bool rebuild, IProgress<IndexProgress> progress, CancellationToken stopping)
    {
        if (!_one.Wait(0)) return null;
        // Not cancelled before it starts: only the update itself releases the one update allowed.
        return Task.Run(() =>
        {
            try
            {
                return tutor.UpdateIndex(rebuild, progress, stopping);
            }
            finally
            {
                _one.Release();
            }
        }, CancellationToken.None);
    }
}

/// <summary>Which progress reports are worth an event: a new stage, its end, and each further hundredth of it.</summary>
public sealed class ProgressSteps
{
    private string? _stage;
    private int _hundredths = -1;

    public bool IsNew(IndexProgress progress)
    {
        var hundredths = progress.Total > 0 ? (int)(100L * progress.Done / progress.Total) : 0;
        if (progress.Stage == _stage && hundredths == _hundredths) return false;
        (_stage, _hundredths) = (progress.Stage, hundredths);
        return true;
    }
}
