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

    /// <summary>Updates the index, checking every file; null when another update is running.</summary>
    public async Task<IndexBuildReport?> RebuildAsync(CancellationToken cancellationToken)
    {
        if (!_one.Wait(0)) return null;
        try
        {
            return await Task.Run(() => tutor.UpdateIndex(rebuild: false, progress: null, cancellationToken), cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }
}
