using System.Diagnostics;
using MlTutor.Indexing;

namespace MlTutor.Tutoring;

/// <summary>What a watch did: notes it re-indexed, or why the index it left in use may not match the notes.</summary>
public sealed record WatchReport(IReadOnlyList<NoteChange> Notes, string? Warning, Remedy Remedy = Remedy.None);

/// <summary>How a watch learns of edits (<c>Corpus:Watch</c>).</summary>
public enum WatchMode
{
    /// <summary>The folder's change notifications; an interval where the folder cannot be watched.</summary>
    Notify,

    /// <summary>An interval always: notifications of some folders never arrive, though watching them raises no error.</summary>
    Poll,
}

/// <summary>
/// Keeps the notes' index up to date by itself while a host runs (<c>watch</c>, a chat): a file system watcher on the notes
/// folder wakes it, a burst of events (editors save through temporary files and renames) is waited out, and then the
/// index is brought up to date once, in the background, so a question never waits for it: questions read the last
/// complete generation meanwhile, and the new one as soon as it is published. Where the folder cannot be watched (no
/// watches left, a file system without notifications) or the settings ask for it, the notes are checked at an interval
/// instead, and <see cref="Polling"/> says why.
/// </summary>
public sealed class NotesWatch : IDisposable
{
    private readonly Tutor _tutor;
    private readonly Action<WatchReport> _report;
    private readonly TimeSpan _quiet;
    private readonly TimeSpan _interval;
    private readonly FileSystemWatcher? _watcher;
    private readonly SemaphoreSlim _poked = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastEvent;
    private string? _lastWarning;

    /// <param name="quiet">How long the folder must stay quiet after an event before the index is updated.</param>
    /// <param name="interval">How often the notes are checked when they are not watched.</param>
    internal NotesWatch(Tutor tutor, Action<WatchReport> report, TimeSpan quiet, TimeSpan interval, WatchMode mode)
    {
        _tutor = tutor;
        _report = report;
        _quiet = quiet;
        _interval = interval;
        if (mode == WatchMode.Poll)
        {
            Polling = $"the notes in {tutor.CorpusDirectory} are checked every {interval.TotalSeconds:0.#} s (Corpus:Watch is poll)";
            PollingChosen = true;
        }
        else try
        {
            _watcher = new FileSystemWatcher(tutor.CorpusDirectory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Changed += (_, _) => Poke();
            _watcher.Created += (_, _) => Poke();
            _watcher.Deleted += (_, _) => Poke();
            _watcher.Renamed += (_, _) => Poke();
            // Events lost (the system's queue overflowed) are no loss here: every update compares all the notes.
            _watcher.Error += (_, _) => Poke();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
            Polling = $"the notes in {tutor.CorpusDirectory} cannot be watched ({OneLine(e.Message)}): they are checked every {interval.TotalSeconds:0.#} s instead";
        }
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Why the notes are checked at an interval rather than watched; null while they are watched.</summary>
    public string? Polling { get; }

    /// <summary>Whether the settings asked for the interval (rather than the folder refusing to be watched).</summary>
    public bool PollingChosen { get; }

    private void Poke()
    {
        Interlocked.Exchange(ref _lastEvent, Stopwatch.GetTimestamp());
        if (_poked.CurrentCount == 0) _poked.Release();
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        // The encoder loads now, while nothing waits for it, rather than after the first save.
        try { _ = _tutor.Encoder; }
        catch (Exception e) when (e is not OperationCanceledException) { /* the first update says what is wrong */ }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (_watcher is null) await Task.Delay(_interval, stop);
                else
                {
                    await _poked.WaitAsync(stop);
                    // Waits out the burst: until no event has come for the quiet time.
                    for (var since = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastEvent)); since < _quiet;
                         since = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastEvent)))
                        await Task.Delay(_quiet - since, stop);
                    while (_poked.CurrentCount > 0) _poked.Wait(0);
                }
                Update(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Update(CancellationToken stop)
    {
        string? warning;
        var remedy = Remedy.None;
        try
        {
            var outcome = _tutor.UpdateForWatch(stop);
            if (outcome.Report is { UpToDate: false } report) _report(new WatchReport(report.Notes, null));
            (warning, remedy) = (outcome.Warning, outcome.Remedy);
        }
        catch (TutorException e)
        {
            (warning, remedy) = (e.Message, e.Remedy);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The watch goes on: the next save may find the notes readable again.
            warning = $"the index could not be updated ({OneLine(e.Message)})";
        }
        // A reason that persists (a read-only index, another process's build) is said once, not at every save.
        if (warning is not null && warning != _lastWarning) _report(new WatchReport([], warning, remedy));
        _lastWarning = warning;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');

    /// <summary>Stops watching; an update under way is cancelled (nothing is published half) and waited for.</summary>
    public void Dispose()
    {
        _watcher?.Dispose();
        _stop.Cancel();
        try { _loop.Wait(); } catch (AggregateException) { }
        _stop.Dispose();
        _poked.Dispose();
    }
}
