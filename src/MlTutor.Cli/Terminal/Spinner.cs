namespace MlTutor.Cli.Terminal;

/// <summary>A spinner on the current line while nothing has been written yet (retrieval, an endpoint's first token);
/// disposing it stops it and clears the line.</summary>
public sealed class Spinner : IAsyncDisposable
{
    private static readonly string[] Frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _turning;

    private Spinner() => _turning = TurnAsync(_stop.Token);

    public static Spinner Start() => new();

    private static async Task TurnAsync(CancellationToken stop)
    {
        // A quick answer shows no spinner at all: it would only flicker.
        try { await Task.Delay(150, stop); } catch (OperationCanceledException) { return; }
        var frame = 0;
        while (!stop.IsCancellationRequested)
        {
            // Written past Spectre, which would turn the carriage return into a new line.
            Console.Out.Write($"\r\u001b[90m{Frames[frame++ % Frames.Length]} thinking…\u001b[0m");
            Console.Out.Flush();
            try { await Task.Delay(100, stop); } catch (OperationCanceledException) { break; }
        }
        Console.Out.Write("\r\u001b[2K");
        Console.Out.Flush();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _turning;
        _stop.Dispose();
    }
}
