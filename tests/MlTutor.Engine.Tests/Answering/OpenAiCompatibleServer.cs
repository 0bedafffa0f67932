using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MlTutor.Tests.Answering;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol the way Ollama and
/// llama.cpp do, answering each request with whatever the test scripts; it records what it received.
/// </summary>
internal sealed class OpenAiCompatibleServer : IAsyncDisposable
{
    public sealed record Received(string Method, string Path, string? Authorization, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public sealed record Reply(int Status, string Body, TimeSpan Delay = default);

    private readonly HttpListener _listener = new();
    private readonly Func<int, Received, Reply> _respond;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Endpoint { get; }

    /// <param name="respond">Given the 0-based request number and the request, what to send back.</param>
    public OpenAiCompatibleServer(Func<int, Received, Reply> respond)
    {
        _respond = respond;
        var port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>A port nothing listens on (taken from the OS, then released).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public static string Completion(string content, string model = "tutor-model") => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
    });

    public static string Error(string message, string type = "invalid_request_error") =>
        JsonSerializer.Serialize(new { error = new { message, type } });

    private async Task LoopAsync()
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            var number = n++;
            _ = Task.Run(() => HandleAsync(number, ctx));
        }
    }

    private async Task HandleAsync(int number, HttpListenerContext ctx)
    {
        try
        {
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var received = new Received(ctx.Request.HttpMethod, ctx.Request.Url!.AbsolutePath, ctx.Request.Headers["Authorization"], await reader.ReadToEndAsync());
            Requests.Enqueue(received);
            var reply = received.Path.EndsWith("/chat/completions", StringComparison.Ordinal) && received.Method == "POST"
                ? _respond(number, received)
                : new Reply(404, Error($"no route {received.Method} {received.Path}"));
            if (reply.Delay > TimeSpan.Zero)
                await Task.Delay(reply.Delay, _stop.Token);
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            ctx.Response.StatusCode = reply.Status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
        catch (Exception)
        {
            // The client gave up (a timeout test) or the server is stopping: nothing to answer.
            try { ctx.Response.Abort(); } catch (Exception) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception) { }
    }
}
