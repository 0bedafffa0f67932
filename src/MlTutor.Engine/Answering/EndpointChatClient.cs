using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Text.Json;
using Microsoft.Extensions.AI;
using MlTutor.Ingestion;
using OpenAI;
using OpenAI.Chat;
using Polly;
using Polly.Retry;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace MlTutor.Answering;

/// <summary>
/// An OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, llama.cpp server, LM Studio, vLLM) as an
/// <see cref="IChatClient"/>: Microsoft.Extensions.AI.OpenAI's client over an HTTP client that connects within
/// <see cref="ChatEndpointOptions.ConnectTimeout"/> and retries passing failures with back-off. Every failure it reports is
/// an <see cref="AnswererException"/> whose message says, in one line, what went wrong and which setting to change.
/// </summary>
public sealed class EndpointChatClient : DelegatingChatClient
{
    private readonly ChatEndpointOptions _options;
    private readonly HttpClient _http;

    private EndpointChatClient(IChatClient inner, ChatEndpointOptions options, HttpClient http) : base(inner)
    {
        _options = options;
        _http = http;
    }

    public ChatEndpointOptions Options => _options;

    /// <summary>The client for <paramref name="options"/>; it owns its HTTP connections and closes them when disposed.</summary>
    /// <exception cref="ArgumentException">A setting that cannot work, named.</exception>
    public static EndpointChatClient Create(ChatEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var sockets = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout };
        HttpMessageHandler handler = options.MaxRetries > 0 ? new RetryHandler(options) { InnerHandler = sockets } : sockets;
        // The answerer decides how long an answer may take (first token, whole answer); the HTTP client never cuts it.
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            Transport = new HttpClientPipelineTransport(http),
            // Retries are the handler's: it sees the status before the body streams, and knows the back-off settings.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Without a key the request carries no Authorization header at all: a blank "Bearer" confuses some servers and
        // proxies, and nothing about a key should be sent where none was given.
#pragma warning disable OPENAI001 // The constructor taking a policy is marked for evaluation; it is the client's only way to send no key.
        var openAi = options.ApiKey is null
            ? new OpenAIClient(new NoAuthentication(), clientOptions)
            : new OpenAIClient(new ApiKeyCredential(options.ApiKey), clientOptions);
#pragma warning restore OPENAI001
        return new EndpointChatClient(openAi.GetChatClient(options.Model).AsIChatClient(), options, http);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, WithBothLengthLimits(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not AnswererException)
        {
            throw Explain(e);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, WithBothLengthLimits(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var _ = updates.ConfigureAwait(false);
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false)) yield break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not AnswererException)
            {
                throw Explain(e);
            }
            yield return updates.Current;
        }
    }

    /// <summary>
    /// The client sends the length limit as "max_completion_tokens", which OpenAI wants; Ollama and older local servers
    /// only read "max_tokens" and ignore fields they do not know, so they get both.
    /// </summary>
    private ChatOptions? WithBothLengthLimits(ChatOptions? options)
    {
        if (options?.MaxOutputTokens is not { } limit || IsOpenAi(_options.Endpoint)) return options;
        var copy = options.Clone();
        var inner = options.RawRepresentationFactory;
        copy.RawRepresentationFactory = client =>
        {
            var raw = inner?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is marked for evaluation; it is the client's only way to add a field.
            raw.Patch.Set("$.max_tokens"u8, limit);
#pragma warning restore SCME0001
            return raw;
        };
        return copy;
    }

    private static bool IsOpenAi(Uri endpoint) =>
        endpoint.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase)
        || endpoint.Host.EndsWith("openai.azure.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>Turns a failure into one line that says what went wrong and what to change.</summary>
    private AnswererException Explain(Exception e)
    {
        var endpoint = _options.Endpoint.ToString().TrimEnd('/');
        var model = _options.Model;

        if (Find<ClientResultException>(e) is { Status: > 0 } http)
        {
            var code = http.Status;
            var detail = ServerMessage(http.GetRawResponse());
            var said = detail is null ? $"HTTP {code}" : $"HTTP {code}: {detail}";
            var retried = _options.MaxRetries > 0 ? $" after {_options.MaxRetries + 1} tries" : "";
            return new AnswererException((HttpStatusCode)code switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => _options.ApiKey is null
                    ? $"the endpoint {endpoint} wants an API key ({said}): put the key in an environment variable and name that variable in Answering:ApiKeyVariable"
                    : $"the endpoint {endpoint} rejected the API key ({said}): check the key in {_options.ApiKeyVariable ?? "the variable named by Answering:ApiKeyVariable"}",
                HttpStatusCode.NotFound =>
                    $"the endpoint {endpoint} has no model '{model}' or no chat-completions route ({said}): check Answering:Model (Ollama: ollama pull {model}) and that Answering:Endpoint ends with /v1",
                HttpStatusCode.TooManyRequests =>
                    $"the endpoint {endpoint} is rate-limiting or out of quota ({said}){retried}: wait and retry, or check the account",
                HttpStatusCode.BadRequest =>
                    $"the endpoint {endpoint} rejected the request ({said}): check Answering:Model and Answering:MaxTokens",
                _ when code >= 500 =>
                    $"the endpoint {endpoint} failed ({said}){retried}: check the server's log, or that model '{model}' fits in its memory",
                _ => $"the endpoint {endpoint} answered {said}: check Answering:Endpoint and Answering:Model",
            }, e);
        }

        if (Find<SocketException>(e) is { SocketErrorCode: SocketError.ConnectionRefused })
            return new AnswererException($"the endpoint {endpoint} refused the connection: is the server running? check Answering:Endpoint", e);
        if (Find<TimeoutException>(e) is not null && Find<OperationCanceledException>(e) is not null)
            return new AnswererException($"the endpoint {endpoint} could not be connected to within {Seconds(_options.ConnectTimeout)}: "
                + "is the server up and reachable? check Answering:Endpoint, or raise Answering:ConnectTimeoutSeconds", e);
        if (Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.NameResolutionError })
            return new AnswererException($"the host of {endpoint} could not be found: check Answering:Endpoint", e);
        if (Find<AuthenticationException>(e) is not null || Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.SecureConnectionError })
            return new AnswererException($"the TLS connection to {endpoint} failed: check the certificate, or use http:// for a local server in Answering:Endpoint", e);
        if (Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.ConnectionError })
            return new AnswererException($"the endpoint {endpoint} could not be connected to: is the server running? check Answering:Endpoint", e);
        if (Find<JsonException>(e) is { } json)
            return new AnswererException($"the endpoint {endpoint} sent something that is not a chat completion ({OneLine(json.Message)}): check that Answering:Endpoint is an OpenAI-compatible /v1 address", e);
        if (Find<HttpRequestException>(e) is not null || Find<IOException>(e) is not null)
            return new AnswererException($"the connection to {endpoint} broke off ({OneLine(Innermost(e).Message)}): check the server's log", e);
        return new AnswererException($"the endpoint {endpoint} could not be used ({OneLine(e.Message)}): check Answering:Endpoint and Answering:Model", e);
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.#} s";

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is T t) return t;
            if (e is AggregateException agg)
                foreach (var inner in agg.InnerExceptions)
                    if (Find<T>(inner) is { } found) return found;
        }
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    /// <summary>The error text servers put in their JSON body ({"error":{"message":...}} or {"error":"..."}), shortened.</summary>
    private static string? ServerMessage(PipelineResponse? response)
    {
        string? body;
        try { body = response?.Content?.ToString(); }
        catch (Exception e) when (e is InvalidOperationException or IOException) { body = null; }
        if (string.IsNullOrWhiteSpace(body)) return null;
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
                message = error.ValueKind == JsonValueKind.String ? error.GetString()
                    : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            message = body;
        }
        return message is null ? null : OneLine(message);
    }

    private static string OneLine(string s)
    {
        s = Whitespace.Collapse(s).Trim();
        return s.Length <= 200 ? s : s[..197] + "...";
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _http.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Sends no credential: for local servers that take none.</summary>
    private sealed class NoAuthentication : AuthenticationPolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }

    /// <summary>
    /// Retries a request that failed for a passing reason (a refused or dropped connection, HTTP 408, 429 or 5xx) with
    /// exponential back-off, waiting what a Retry-After header asks for when it is not much longer. It acts
    /// before the response's body is read, so a streamed answer is never sent twice.
    /// </summary>
    private sealed class RetryHandler(ChatEndpointOptions options) : DelegatingHandler
    {
        /// <summary>The longest wait between two tries: a person is waiting for the answer.</summary>
        private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                MaxDelay = MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                // Jitter spreads the retries of many clients hitting one server; here one person waits on one question.
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(response => IsPassing(response.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
            })
            .Build();

        private static bool IsPassing(HttpStatusCode status) =>
            status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

        private static TimeSpan? RetryAfter(HttpResponseMessage? response)
        {
            var header = response?.Headers.RetryAfter;
            var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
            return wait is { } w && w > TimeSpan.Zero && w <= MaxDelay ? w : null;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _pipeline.ExecuteAsync(async (message, token) => await base.SendAsync(message, token).ConfigureAwait(false), request, cancellationToken).AsTask();
    }
}
