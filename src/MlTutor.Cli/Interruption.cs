using System.Runtime.InteropServices;

namespace MlTutor.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM stop long work cleanly: the first one cancels the command's token, so a build stops at its
/// next step, publishes nothing, releases its lock and exits with 130 ("cancelled"); a second one ends the process at
/// once. While the program only waits for the user to type (chat's prompt), there is nothing to clean up, and the
/// signal ends it at once. While an answer is being written in chat, the signal stops that answer only (see
/// <see cref="StopsAnswer"/>) and the conversation goes on.
/// </summary>
public static class Interruption
{
    private static readonly CancellationTokenSource Source = new();

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>True while the program waits for a line from the user.</summary>
    public static bool AtPrompt { get; set; }

    private static CancellationTokenSource? _answer;

    /// <summary>
    /// A token that the next SIGINT cancels instead of the command's, until the returned source is disposed: chat's
    /// answer in progress. It is also cancelled with the command's token.
    /// </summary>
    public static CancellationTokenSource StopsAnswer()
    {
        var answer = new AnswerScope(Source.Token);
        _answer = answer;
        return answer;
    }

    private sealed class AnswerScope : CancellationTokenSource
    {
        private readonly CancellationTokenRegistration _link;

        public AnswerScope(CancellationToken outer) => _link = outer.Register(static s => ((AnswerScope)s!).Cancel(), this);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Interlocked.CompareExchange(ref _answer, null, this);
                _link.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>Handles the signals until disposed.</summary>
    public static IDisposable Handle() => new Registrations(
        [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)]);

    private static void OnSignal(PosixSignalContext context)
    {
        if (_answer is { IsCancellationRequested: false } answer)
        {
            context.Cancel = true;
            answer.Cancel();
            return;
        }
        if (AtPrompt || Source.IsCancellationRequested) return; // the default: the process ends now
        context.Cancel = true;
        Source.Cancel();
    }

    private sealed class Registrations(IReadOnlyList<IDisposable> all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in all) r.Dispose();
        }
    }
}
