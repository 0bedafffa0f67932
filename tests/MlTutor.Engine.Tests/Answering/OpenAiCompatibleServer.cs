using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MlTutor.Tests.Answering;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol the way Ollama and llama.cpp do,
/// streamed (server-sent events) or whole, answering each request with whatever the test scripts, faults included: an
/// error status, a pause, a body that is not a chat completion, a stream broken off in the middle. It records what it
/// received.
/// </summary>
internal sealed class OpenAiCompatibleServer : IAsyncDisposable
{
    public sealed record Received(string Method, string Path, string? Authorization, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
        public bool Streamed => Json.TryGetProperty("stream", out var stream) && stream.GetBoolean();
    }

    /// <summary>What to send back.</summary>
    /// <param name="Body">The whole body; with <see cref="Events"/> it is ignored.</param>
    /// <param name="Delay">Silence before anything, the status line included.</param>
    public sealed record Reply(int Status, string Body, TimeSpan Delay = default)
    {
        /// <summary>A stream: each event sent as "data: EVENT" and flushed, <see cref="Pause"/> apart.</summary>
        public IReadOnlyList<string>? Events { get; init; }
        public TimeSpan Pause { get; init; }
        /// <summary>Silence after the events, before the stream ends or is cut.</summary>
        public TimeSpan PauseAtEnd { get; init; }
        /// <summary>Break the connection off after the events instead of ending the stream.</summary>
        public bool Cut { get; init; }
        public string ContentType { get; init; } = "application/json";
        public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<int, Received, Reply> _respond;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Endpoint { get; }

    /// <param name="respond">Given the 0-based request number and the request, what to send back. A request for a
    /// stream may be answered with <see cref="Completion"/>'s whole body all the same: it is then sent as a stream.</param>
    public OpenAiCompatibleServer(Func<int, Received, Reply> respond)
    {
        _respond = respond;
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>A server that answers every request with <paramref name="content"/>, streamed in pieces of a few words.</summary>
    public static OpenAiCompatibleServer Answering(string content) => new((_, _) => Stream(Pieces(content)));

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

    /// <summary>One event of a streamed completion, as llama.cpp's server sends it.</summary>
    public static string Chunk(string? content, string? finishReason = null, string model = "tutor-model") => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model,
        choices = new[] { new { index = 0, delta = content is null ? (object)new { } : new { content }, finish_reason = finishReason } },
    });

    /// <summary>The last event of a stream that was asked to include usage.</summary>
    public static string Usage(int prompt, int completion, string model = "tutor-model") => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model,
        choices = Array.Empty<object>(),
        usage = new { prompt_tokens = prompt, completion_tokens = completion, total_tokens = prompt + completion },
    });

    /// <summary>A streamed reply of these pieces, then the finish, the usage and [DONE].</summary>
    public static Reply Stream(IEnumerable<string> pieces, string finishReason = "stop", TimeSpan pause = default)
    {
        var list = pieces.ToList();
        return new Reply(200, "")
        {
            Events = [.. list.Select(p => Chunk(p)), Chunk(null, finishReason), Usage(40, list.Count), "[DONE]"],
            Pause = pause,
            ContentType = "text/event-stream",
        };
    }

    /// <summary>Text cut into pieces of two or three words, as a model streams it.</summary>
    public static IEnumerable<string> Pieces(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i += 3)
            yield return (i == 0 ? "" : " ") + string.Join(' ', words.Skip(i).Take(3));
    }

    public static string Error(string message, string type = "invalid_request_error") =>
        JsonSerializer.Serialize(new { error = new { message, type } });

    private async Task LoopAsync()
    {
        var n = 0;
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            var number = n++;
            _ = Task.Run(() => HandleAsync(number, client));
        }
    }

    /// <summary>One request on one connection (the reply says "Connection: close"): HTTP/1.1 written by hand, so that a
    /// stream can be broken off the way a crashed server or a dropped network breaks it, with no closing chunk.</summary>
    private async Task HandleAsync(int number, TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var received = await ReadRequestAsync(stream);
                if (received is null) return;
                Requests.Enqueue(received);
                var reply = received.Path.EndsWith("/chat/completions", StringComparison.Ordinal) && received.Method == "POST"
                    ? _respond(number, received)
                    : new Reply(404, Error($"no route {received.Method} {received.Path}"));
                if (reply.Delay > TimeSpan.Zero)
                    await Task.Delay(reply.Delay, _stop.Token);
                if (reply.Events is null && reply.Status == 200 && received.Body.Length > 0 && received.Streamed && IsCompletion(reply.Body))
                    reply = Stream([JsonDocument.Parse(reply.Body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!]);

                var head = new StringBuilder($"HTTP/1.1 {reply.Status} {StatusText(reply.Status)}\r\nContent-Type: {reply.ContentType}\r\nConnection: close\r\n");
                foreach (var (name, value) in reply.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
                if (reply.Events is not { } events)
                {
                    var bytes = Encoding.UTF8.GetBytes(reply.Body);
                    head.Append($"Content-Length: {bytes.Length}\r\n\r\n");
                    await WriteAsync(stream, Encoding.ASCII.GetBytes(head.ToString()));
                    await WriteAsync(stream, bytes);
                    return;
                }
                head.Append("Transfer-Encoding: chunked\r\n\r\n");
                await WriteAsync(stream, Encoding.ASCII.GetBytes(head.ToString()));
                foreach (var e in events)
                {
                    var data = Encoding.UTF8.GetBytes($"data: {e}\n\n");
                    await WriteAsync(stream, [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8]);
                    if (reply.Pause > TimeSpan.Zero) await Task.Delay(reply.Pause, _stop.Token);
                }
                if (reply.PauseAtEnd > TimeSpan.Zero) await Task.Delay(reply.PauseAtEnd, _stop.Token);
                if (reply.Cut)
                {
                    // No closing chunk, and a reset rather than an orderly close: the stream is broken off.
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }
                await WriteAsync(stream, "0\r\n\r\n"u8.ToArray());
            }
            catch (Exception)
            {
                // The client gave up (a timeout test) or the server is stopping: nothing to answer.
            }
        }
    }

    private async Task WriteAsync(NetworkStream stream, byte[] bytes)
    {
        await stream.WriteAsync(bytes, _stop.Token);
        await stream.FlushAsync(_stop.Token);
    }

    private async Task<Received?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int end;
        while ((end = HeaderEnd(buffer)) < 0)
        {
            var n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0) return null;
            buffer.AddRange(chunk.AsSpan(0, n));
        }
        var lines = Encoding.ASCII.GetString(buffer.GetRange(0, end).ToArray()).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = buffer.Skip(end + 4).ToList();
        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text) : 0;
        while (body.Count < length)
        {
            var n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0) break;
            body.AddRange(chunk.AsSpan(0, n));
        }
        return new Received(requestLine[0], requestLine[1].Split('?')[0], headers.GetValueOrDefault("Authorization"), Encoding.UTF8.GetString(body.ToArray()));
    }

    private static int HeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
        return -1;
    }

    private static string StatusText(int status) => status switch
    {
        200 => "OK", 400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found", 429 => "Too Many Requests",
        500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable", _ => "Status",
    };

    private static bool IsCompletion(string body)
    {
        try { return JsonDocument.Parse(body).RootElement.TryGetProperty("choices", out _); }
        catch (JsonException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (Exception) { }
    }
}
