using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using OpenAI;

namespace MlTutor.Answering;

/// <summary>
/// Answers through any OpenAI-compatible chat-completions endpoint. The model sees only the numbered passages
/// and is told to cite them with [n]; passage numbers are citation numbers, and markers naming no passage are
/// dropped from the text, so every marker the user sees points at a real source.
/// </summary>
public sealed partial class ChatCompletionAnswerer : IAnswerer, IDisposable
{
    /// <summary>What the model is told in tutor style.</summary>
    public const string TutorSystemPrompt =
        "You are a tutor who answers questions about the user's machine-learning study notes. "
        + "Answer ONLY from the numbered passages in the user's message; do not add facts that are not in them. "
        + "After each sentence that uses a passage, cite it with its number in square brackets, e.g. [2] or [1][3]; "
        + "use only the numbers of the passages shown. Keep the answer short: a few sentences. "
        + "If the passages do not contain the answer, reply only: \"The notes do not cover this question.\"";

    /// <summary>What the model is told in interviewer style.</summary>
    public const string InterviewerSystemPrompt =
        "You are a technical interviewer for a machine-learning role, coaching the candidate with the candidate's own notes. "
        + "Use ONLY the numbered passages in the user's message; do not add facts that are not in them. "
        + "First restate the question the way an interviewer would ask it. Then list briefly what a strong answer covers, "
        + "citing each point with its passage number in square brackets, e.g. [2]; use only the numbers of the passages shown. "
        + "End with one follow-up question an interviewer would ask next, drawn from the passages. "
        + "If the passages do not contain the answer, reply only: \"The notes do not cover this question.\"";

    private readonly ChatEndpointOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly OpenAIChatCompletionService _chat;

    /// <param name="httpClient">Optional client (e.g. with a proxy); by default one is created and disposed with this answerer.</param>
    public ChatCompletionAnswerer(ChatEndpointOptions options, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _ownsHttp = httpClient is null;
        // The deadline is enforced per answer (retries included) below, not by the HttpClient.
        _http = httpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            Transport = new HttpClientPipelineTransport(_http),
            // The SDK's own policy: exponential back-off on 408/429/5xx and dropped connections.
            RetryPolicy = new ClientRetryPolicy(options.MaxRetries),
            NetworkTimeout = options.Timeout,
        };
        // Local servers take no key, but the client insists on a credential; a blank one is ignored by them.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? " " : options.ApiKey);
        _chat = new OpenAIChatCompletionService(options.Model, new OpenAIClient(credential, clientOptions));
    }

    public async Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var question = context.Question ?? "";
        if (context.NotCovered || context.Passages.Count == 0)
            return new Answer(question, ExtractiveAnswerer.NotCoveredText(context), NotCovered: true, []) { StandaloneQuestion = context.StandaloneQuestion };

        var history = new ChatHistory();
        history.AddSystemMessage(style == AnswerStyle.Interviewer ? InterviewerSystemPrompt : TutorSystemPrompt);
        history.AddUserMessage(UserMessage(context));
        var settings = new OpenAIPromptExecutionSettings { Temperature = _options.Temperature, MaxTokens = _options.MaxTokens };
        // The client sends the limit as "max_completion_tokens", which OpenAI wants; Ollama and older local servers
        // only read "max_tokens" and ignore fields they do not know, so they get both.
        if (!_options.Endpoint.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase)
            && !_options.Endpoint.Host.EndsWith("openai.azure.com", StringComparison.OrdinalIgnoreCase))
        {
#pragma warning disable SKEXP0010 // ExtraBody is marked experimental; it is the connector's only way to add a field.
            settings.ExtraBody = new Dictionary<string, object?> { ["max_tokens"] = _options.MaxTokens };
#pragma warning restore SKEXP0010
        }

        string reply;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(_options.Timeout);
            try
            {
                var message = await _chat.GetChatMessageContentAsync(history, settings, kernel: null, deadline.Token).ConfigureAwait(false);
                reply = message.Content ?? "";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Explain(e);
            }
        }

        reply = ThinkBlock().Replace(reply, "").Trim();
        if (reply.Length == 0)
            throw new AnswererException($"the endpoint {_options.Endpoint} returned an empty reply from model '{_options.Model}': check that Answering:Model is a chat model");
        return ToAnswer(context, reply);
    }

    /// <summary>The user message: the question, then each passage as "[n] file:start-end — heading path" and its text.</summary>
    public static string UserMessage(RetrievedContext context)
    {
        var sb = new StringBuilder();
        sb.Append("Question: ").Append(context.Question.Trim());
        // A follow-up read alone ("why do we need it?") names nothing; the model gets the turns it leans on.
        if (context.StandaloneQuestion != context.Question)
            sb.Append("\n(In the conversation so far this means: ").Append(context.StandaloneQuestion.Trim()).Append(')');
        sb.Append("\n\nNumbered passages from the notes:\n");
        for (var i = 0; i < context.Passages.Count; i++)
        {
            var c = context.Passages[i].Chunk;
            sb.Append("\n[").Append(i + 1).Append("] ").Append(c.File).Append(':').Append(c.StartLine).Append('-').Append(c.EndLine);
            if (!string.IsNullOrWhiteSpace(c.HeadingPath)) sb.Append(" — ").Append(c.HeadingPath);
            sb.Append('\n').Append(c.Text.TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Keeps the markers that name a passage, drops the others, and cites the passages named.</summary>
    private static Answer ToAnswer(RetrievedContext context, string reply)
    {
        var count = context.Passages.Count;
        var used = new SortedSet<int>();
        var text = Markers().Replace(reply, m =>
        {
            var valid = m.Groups[2].Value.Split([',', ';'], StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out var n) ? n : 0)
                .Where(n => n >= 1 && n <= count).Distinct().ToList();
            used.UnionWith(valid);
            // A dropped marker takes its leading space with it, so no "word ." is left behind.
            return valid.Count == 0 ? "" : $"{m.Groups[1].Value}[{string.Join(", ", valid)}]";
        }).Trim();

        var citations = used.Select(n =>
        {
            var c = context.Passages[n - 1].Chunk;
            return new Citation(n, c.File, c.StartLine, c.EndLine, c.HeadingPath, c.Id);
        }).ToList();
        var notCovered = citations.Count == 0 && NotCoveredPhrase().IsMatch(text);
        return new Answer(context.Question, text, notCovered, notCovered ? [] : citations) { StandaloneQuestion = context.StandaloneQuestion };
    }

    /// <summary>Turns a failure into one line that says what went wrong and what to change.</summary>
    private AnswererException Explain(Exception e)
    {
        var endpoint = _options.Endpoint.ToString().TrimEnd('/');
        var model = _options.Model;

        if (Find<HttpOperationException>(e) is { StatusCode: { } status } http)
        {
            var detail = ServerMessage(http.ResponseContent);
            var code = (int)status;
            var said = detail is null ? $"HTTP {code}" : $"HTTP {code}: {detail}";
            return new AnswererException(status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => _options.ApiKey is null
                    ? $"the endpoint {endpoint} wants an API key ({said}): put the key in an environment variable and name that variable in Answering:ApiKeyVariable"
                    : $"the endpoint {endpoint} rejected the API key ({said}): check the key in {_options.ApiKeyVariable ?? "the variable named by Answering:ApiKeyVariable"}",
                HttpStatusCode.NotFound =>
                    $"the endpoint {endpoint} has no model '{model}' or no chat-completions route ({said}): check Answering:Model (Ollama: ollama pull {model}) and that Answering:Endpoint ends with /v1",
                HttpStatusCode.TooManyRequests =>
                    $"the endpoint {endpoint} is rate-limiting or out of quota ({said}): wait and retry, or check the account",
                HttpStatusCode.BadRequest =>
                    $"the endpoint {endpoint} rejected the request ({said}): check Answering:Model and Answering:MaxTokens",
                _ when code >= 500 =>
                    $"the endpoint {endpoint} failed ({said}): check the server's log, or that model '{model}' fits in its memory",
                _ => $"the endpoint {endpoint} answered {said}: check Answering:Endpoint and Answering:Model",
            }, e);
        }

        if (Find<SocketException>(e) is { SocketErrorCode: SocketError.ConnectionRefused }
            || Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.ConnectionError })
            return new AnswererException($"the endpoint {endpoint} refused the connection: is the server running? set Answering:Endpoint", e);
        if (Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.NameResolutionError })
            return new AnswererException($"the host of {endpoint} could not be found: check Answering:Endpoint", e);
        if (Find<AuthenticationException>(e) is not null || Find<HttpRequestException>(e) is { HttpRequestError: HttpRequestError.SecureConnectionError })
            return new AnswererException($"the TLS connection to {endpoint} failed: check the certificate, or use http:// for a local server in Answering:Endpoint", e);
        if (Find<OperationCanceledException>(e) is not null || Find<TimeoutException>(e) is not null)
            return new AnswererException(
                $"the endpoint {endpoint} did not answer within {_options.Timeout.TotalSeconds:0.#} s: raise Answering:TimeoutSeconds or use a smaller model than '{model}'", e);
        if (Find<HttpRequestException>(e) is { } request)
            return new AnswererException($"the endpoint {endpoint} could not be reached ({OneLine(request.Message)}): check Answering:Endpoint", e);
        return new AnswererException($"the endpoint {endpoint} could not be used ({OneLine(e.Message)}): check Answering:Endpoint and Answering:Model", e);
    }

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

    /// <summary>The error text servers put in their JSON body ({"error":{"message":...}} or {"error":"..."}), shortened.</summary>
    private static string? ServerMessage(string? body)
    {
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

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    [GeneratedRegex(@"([ \t]?)\[(\d+(?:\s*[,;]\s*\d+)*)\]")]
    private static partial Regex Markers();

    // Reasoning models served by Ollama or vLLM may put their scratch work first.
    [GeneratedRegex(@"<think>.*?</think>", RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"\b(?:do|does|did)\s*(?:not|n't)\s+cover\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotCoveredPhrase();
}
