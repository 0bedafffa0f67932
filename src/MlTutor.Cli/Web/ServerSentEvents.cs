using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MlTutor.Cli.Web;

/// <summary>A response written as server-sent events, each sent at once; every event's data is one line of JSON.</summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        // Sent now, so that a client sees the stream open before the first words, and no proxy buffers it.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken);
    }

    public async Task SendAsync(string name, object data, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, Output.Json)}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
