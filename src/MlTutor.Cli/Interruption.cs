using System.Runtime.InteropServices;

namespace MlTutor.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM stop long work cleanly: the first one cancels the command's token, so a build stops at its
/// next step, publishes nothing, releases its lock and exits with 130 ("cancelled"); a second one ends the process at
/// once. While the program only waits for the user to type (chat's prompt), there is nothing to clean up, and the
/// signal ends it at once.
/// </summary>
public static class Interruption
{
    private static readonly CancellationTokenSource Source = new();

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>True while the program waits for a line from the user.</summary>
    public static bool AtPrompt { get; set; }

    /// <summary>Handles the signals until disposed.</summary>
    public static IDisposable Handle() => new Registrations(
        [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)]);

    private static void OnSignal(PosixSignalContext context)
    {
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
