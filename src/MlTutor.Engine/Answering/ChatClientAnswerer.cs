using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// Answers through a language model behind Microsoft.Extensions.AI's <see cref="IChatClient"/> (an OpenAI-compatible
/// endpoint, see <see cref="EndpointChatClient"/>, or a model run in-process). The model sees only the numbered passages
/// and is told to cite them with [n]; the reply streams out as it comes, its markers checked on the way
/// (<see cref="CitationCheck"/>), so every marker the user sees points at a passage. A failure before anything was shown
/// is an <see cref="AnswererException"/>; one after keeps what was shown and says why the answer was cut.
/// </summary>
public sealed partial class ChatClientAnswerer : IAnswerer, IDisposable
{
    private readonly IChatClient _client;
    private readonly ChatAnswerOptions _options;
    private readonly bool _ownsClient;

    /// <param name="ownsClient">Whether disposing this answerer disposes <paramref name="client"/>.</param>
    public ChatClientAnswerer(IChatClient client, ChatAnswerOptions options, bool ownsClient = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _ownsClient = ownsClient;
    }

    public Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default) =>
        AnswerUpdate.FinalOf(StreamAsync(context, style, cancellationToken));

    public async IAsyncEnumerable<AnswerUpdate> StreamAsync(RetrievedContext context, AnswerStyle style,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.NotCovered || context.Passages.Count == 0)
        {
            var notCovered = new Answer(context.Question ?? "", ExtractiveAnswerer.NotCoveredText(context), NotCovered: true, [])
            {
                StandaloneQuestion = context.StandaloneQuestion,
            };
            yield return new AnswerUpdate(notCovered.Text, notCovered);
            yield break;
        }

        var prompt = AnswerPrompt.For(context, style, _options.MaxPromptTokens);
        var check = new CitationCheck(prompt.Passages);
        var request = new ChatOptions { Temperature = (float)_options.Temperature, MaxOutputTokens = _options.MaxTokens };
        var updates = ReadAsync(prompt.Messages, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var _ = updates.ConfigureAwait(false);
        string? cutReason = null;
        ChatFinishReason? finish = null;
        int? repeatStart = null;
        UsageDetails? usage = null;
        var pieces = 0;
        while (repeatStart is null)
        {
            string show;
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                finish = updates.Current.FinishReason ?? finish;
                foreach (var content in updates.Current.Contents.OfType<UsageContent>()) usage = content.Details;
                if (updates.Current.Text.Length > 0) pieces++;
                show = check.Push(updates.Current.Text);
                // A model that loops is stopped here (leaving the loop ends the request), not run to its token limit.
                if (show.Length > 0) repeatStart = RepetitionGuard.RepeatStart(check.Text);
            }
            catch (AnswererException e) when (check.Text.Length > 0)
            {
                // What the student has read stays; the answer says it was cut.
                cutReason = e.Message;
                break;
            }
            if (show.Length > 0) yield return new AnswerUpdate(show);
        }

        if (repeatStart is { } start)
        {
            yield return new AnswerUpdate("", ToAnswer(context, check.Text[..start], check, prompt) with
            {
                StoppedRepeating = true,
                // Stopped before the model reported its count: each streamed piece is a token.
                CompletionTokens = (int?)usage?.OutputTokenCount ?? pieces,
            });
            yield break;
        }
        var rest = check.Finish();
        if (rest.Length > 0) yield return new AnswerUpdate(rest);
        if (check.Text.Trim().Length == 0)
            throw new AnswererException("the language model wrote nothing (or only its reasoning): check that Answering:Model is a chat model");
        if (cutReason is null && finish == ChatFinishReason.Length)
            cutReason = $"it reached the limit of {_options.MaxTokens} tokens (Answering:MaxTokens)";
        // Servers end every reply with a reason (stop, length); a stream closed without one was closed early, as a proxy
        // that drops the connection politely does.
        cutReason ??= finish is null ? "the reply ended before the language model said it was finished" : null;
        yield return new AnswerUpdate("", ToAnswer(context, check.Text, check, prompt) with
        {
            CutReason = cutReason,
            CompletionTokens = (int?)usage?.OutputTokenCount,
        });
    }

    /// <summary>
    /// The last turn of a conversation rewritten by the model as a question that stands alone
    /// (<see cref="StandaloneRewrite"/>), or null when its reply is no usable question. A model that cannot be reached or
    /// is too slow is an <see cref="AnswererException"/>, as for an answer.
    /// </summary>
    public async Task<string?> RewriteAsync(IReadOnlyList<string> history, string question, CancellationToken cancellationToken = default)
    {
        var request = new ChatOptions { Temperature = 0, MaxOutputTokens = StandaloneRewrite.MaxTokens };
        var reply = new System.Text.StringBuilder();
        await foreach (var update in ReadAsync(StandaloneRewrite.Messages(history, question), request, cancellationToken).ConfigureAwait(false))
            reply.Append(update.Text);
        return StandaloneRewrite.Read(reply.ToString(), history, question);
    }

    /// <summary>
    /// The model's grade of an interview answer against the numbered key points of the notes (<see cref="RubricGrading"/>).
    /// A reply that starts repeating itself is read up to the repeat. A model that cannot be reached or is too slow is an
    /// <see cref="AnswererException"/>, as for an answer.
    /// </summary>
    public async Task<ModelGrade> GradeAsync(string question, IReadOnlyList<string> keyPoints, string answer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyPoints);
        var request = new ChatOptions { Temperature = 0, MaxOutputTokens = Math.Min(_options.MaxTokens, RubricGrading.MaxTokens) };
        var messages = RubricGrading.Messages(question, keyPoints, answer, _options.MaxPromptTokens);
        var reply = new System.Text.StringBuilder();
        await foreach (var update in ReadAsync(messages, request, cancellationToken).ConfigureAwait(false))
        {
            reply.Append(update.Text);
            if (update.Text.Length > 0 && RepetitionGuard.RepeatStart(reply.ToString(), labelledLines: true) is { } start)
            {
                reply.Length = start;
                break;
            }
        }
        if (reply.ToString().Trim().Length == 0)
            throw new AnswererException("the language model wrote nothing (or only its reasoning): check that Answering:Model is a chat model");
        return RubricGrading.Read(reply.ToString(), keyPoints.Count);
    }

    /// <summary>
    /// Whether the model answers, with which model, and how fast: a fixed short prompt, a few generated tokens. Speeds come
    /// from the token counts the server reports (null when it reports none) and the times seen here, so they include the
    /// way to the server.
    /// </summary>
    /// <param name="provider">The provider's name, for the report.</param>
    public async Task<LlmCheckReport> CheckAsync(string provider, CancellationToken cancellationToken = default)
    {
        // An in-process model is loaded first, so that its first token is timed like a server's, whose model was loaded before.
        var local = _client.GetService<LocalModelChatClient>();
        if (local is not null) await Task.Run(local.EnsureLoaded, cancellationToken).ConfigureAwait(false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        double? firstToken = null;
        string? model = null;
        UsageDetails? usage = null;
        var reply = new System.Text.StringBuilder();
        var request = new ChatOptions { Temperature = 0, MaxOutputTokens = LlmCheckReport.GeneratedTokens };
        var prompt = LlmCheckReport.Prompt(Random.Shared.Next(1_000_000));
        await foreach (var update in ReadAsync(prompt, request, cancellationToken).ConfigureAwait(false))
        {
            model ??= update.ModelId;
            if (update.Text.Length > 0)
            {
                firstToken ??= watch.Elapsed.TotalSeconds;
                reply.Append(update.Text);
            }
            foreach (var content in update.Contents.OfType<UsageContent>()) usage = content.Details;
        }
        var total = watch.Elapsed.TotalSeconds;
        if (firstToken is not { } first)
            throw new AnswererException("the language model answered with no text: check that Answering:Model is a chat model");
        var generating = total - first;
        return new LlmCheckReport(provider, model ?? _client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "(unknown)",
            ContextSize: local?.ContextSize, LoadSeconds: local?.LoadSeconds, FirstTokenSeconds: first,
            PromptTokensPerSecond: usage?.InputTokenCount is > 0 and var read ? read / first : null,
            // The first token came with the prompt; the others were generated after it.
            GenerationTokensPerSecond: usage?.OutputTokenCount is > 1 and var written && generating > 0 ? (written - 1) / generating : null)
        {
            Reply = reply.ToString().Trim(),
            PromptTokens = (int?)usage?.InputTokenCount,
            CompletionTokens = (int?)usage?.OutputTokenCount,
        };
    }

    /// <summary>
    /// The model's reply as it streams, within the time limits: a failure, and a model silent too long before its first
    /// token or between two, or still writing at the deadline, is an <see cref="AnswererException"/> saying so in one line.
    /// </summary>
    private async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(IEnumerable<ChatMessage> messages, ChatOptions request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Loading an in-process model is not the model's silence: the time limits start once it is loaded.
        if (_client.GetService<LocalModelChatClient>() is { } local) await Task.Run(local.EnsureLoaded, cancellationToken).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        silence.CancelAfter(_options.FirstTokenTimeout);
        var updates = _client.GetStreamingResponseAsync(messages, request, silence.Token).GetAsyncEnumerator(silence.Token);
        await using var _ = updates.ConfigureAwait(false);
        var tokens = false;
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false)) yield break;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                throw e as AnswererException ?? new AnswererException(Reason(e, tokens, deadline.IsCancellationRequested), e);
            }
            if (updates.Current.Text.Length > 0)
            {
                tokens = true;
                silence.CancelAfter(_options.FirstTokenTimeout);
            }
            yield return updates.Current;
        }
    }

    /// <summary>The checked reply, or the part of it that is kept, as an answer: the passages its markers name are its
    /// citations.</summary>
    private static Answer ToAnswer(RetrievedContext context, string kept, CitationCheck check, AnswerPrompt prompt)
    {
        var text = kept.TrimEnd();
        var named = CitationCheck.Numbers(text);
        var citations = check.Cited.Where(named.Contains).Select(n =>
        {
            var c = context.Passages[n - 1].Chunk;
            return new Citation(n, c.File, c.StartLine, c.EndLine, c.HeadingPath, c.Id);
        }).ToList();
        var notCovered = citations.Count == 0 && NotCoveredPhrase().IsMatch(text);
        return new Answer(context.Question, text, notCovered, notCovered ? [] : citations)
        {
            StandaloneQuestion = context.StandaloneQuestion,
            DroppedMarkers = [.. check.Dropped],
            PromptTokens = prompt.EstimatedTokens,
        };
    }

    /// <summary>Why the model's answer stopped, in one line.</summary>
    private string Reason(Exception e, bool tokens, bool pastDeadline) => e switch
    {
        OperationCanceledException when pastDeadline =>
            $"the language model took longer than {Seconds(_options.Timeout)} for the whole answer: raise Answering:TimeoutSeconds or lower Answering:MaxTokens",
        OperationCanceledException when !tokens =>
            $"the language model sent no token within {Seconds(_options.FirstTokenTimeout)}: raise Answering:FirstTokenTimeoutSeconds, or use a smaller model",
        OperationCanceledException =>
            $"the language model sent nothing for {Seconds(_options.FirstTokenTimeout)}: raise Answering:FirstTokenTimeoutSeconds, or use a smaller model",
        _ => $"the language model failed ({e.GetType().Name}: {Whitespace.Collapse(e.Message).Trim()})",
    };

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.#} s";

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    [GeneratedRegex(@"\b(?:do|does|did)\s*(?:not|n't)\s+cover\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotCoveredPhrase();
}
