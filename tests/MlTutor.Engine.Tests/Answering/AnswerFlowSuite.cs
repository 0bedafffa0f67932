using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using MlTutor.Answering;
using Xunit;
using static MlTutor.Tests.Answering.ChatClientAnswererTests;

namespace MlTutor.Tests.Answering;

/// <summary>
/// The answer flow every language-model provider goes through, run unchanged on each of them: our scripted
/// OpenAI-compatible server, llama.cpp's own server and the in-process GGUF model. Same prompts, same checks. What a real
/// model writes cannot be foretold, so the checks are the answerer's promises rather than words: streamed pieces that
/// add up to the checked answer, markers that each name a given passage, the loop guard's cut, the token cap, a prompt
/// held to its budget, and a cancel that ends the stream and leaves the provider ready for the next question.
/// </summary>
public abstract partial class AnswerFlowSuite
{
    private const int MaxTokens = 40;

    /// <summary>The provider under test; the suite never disposes it.</summary>
    protected abstract IChatClient Client { get; }

    private ChatClientAnswerer Answerer(int maxTokens = MaxTokens, int maxPromptTokens = 3000) =>
        new(Client, new ChatAnswerOptions(Temperature: 0, maxTokens, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(300), maxPromptTokens),
            ownsClient: false);

    [SkippableFact]
    public async Task Streamed_pieces_add_up_to_the_checked_answer_whose_markers_each_name_a_passage()
    {
        using var answerer = Answerer();

        var updates = await Collect(answerer.StreamAsync(Question, AnswerStyle.Tutor));

        var pieces = updates.Where(u => u.Text.Length > 0).Select(u => u.Text).ToList();
        var answer = updates.Select(u => u.Final).LastOrDefault(f => f != null);
        Assert.NotNull(answer);
        Assert.True(pieces.Count >= 2, $"{pieces.Count} piece(s): the answer was not streamed");
        var streamed = string.Concat(pieces).TrimEnd();
        if (answer.StoppedRepeating)
        {
            Assert.StartsWith(answer.Text, streamed);
            var sentences = Sentence().Matches(answer.Text).Select(m => m.Value.Trim()).Where(s => s.Length > 0).ToList();
            Assert.Equal(sentences.Count, sentences.Distinct().Count());
        }
        else Assert.Equal(answer.Text, streamed);

        var passages = Question.Passages.Count;
        Assert.All(Marker().Matches(answer.Text).Select(m => int.Parse(m.Groups[1].Value)), n => Assert.InRange(n, 1, passages));
        Assert.All(answer.Citations, c => Assert.InRange(c.N, 1, passages));
        Assert.All(answer.DroppedMarkers, n => Assert.True(n < 1 || n > passages, $"[{n}] names a passage and was dropped"));
        Assert.Equal(answer.Citations.Count == 0 && !answer.NotCovered, answer.Uncited);
        Assert.True(answer.PromptTokens > 100, $"{answer.PromptTokens} prompt tokens");
        Assert.InRange(answer.CompletionTokens ?? 0, 1, MaxTokens);
        Assert.True(answer.CutReason is null || answer.CutReason.Contains($"limit of {MaxTokens} tokens"), answer.CutReason);
    }

    [SkippableFact]
    public async Task Cancelling_mid_answer_ends_the_stream_and_the_next_question_is_answered()
    {
        using var answerer = Answerer(maxTokens: 200);
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in answerer.StreamAsync(Question, AnswerStyle.Tutor, cancel.Token))
                if (update.Text.Length > 0 && ++seen == 2) await cancel.CancelAsync();
        });
        var next = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal(2, seen);
        Assert.NotEmpty(next.Text);
    }

    [SkippableFact]
    public async Task A_prompt_over_its_budget_loses_its_lowest_passages_not_the_answer()
    {
        var passages = Enumerable.Range(0, 12).Select(i => AnswerChecks.MakeChunk($"note{i}.md", 10 * i + 1, "Notes",
            string.Join(' ', Enumerable.Repeat($"Dropout {i} zeroes random activations during training so units cannot co-adapt.", 4)))).ToArray();
        using var answerer = Answerer(maxTokens: 16, maxPromptTokens: 400);

        var answer = await answerer.AnswerAsync(AnswerChecks.Context("What does dropout do?", passages), AnswerStyle.Tutor);

        Assert.NotEmpty(answer.Text);
        // The answerer's estimate of what it sent, which errs high: within the budget, with passages in it.
        Assert.InRange(answer.PromptTokens ?? 0, 150, 400);
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"[^.!?\n]+[.!?]?")]
    private static partial Regex Sentence();
}

/// <summary>The flow against our scripted server: a reply that cites a passage that was not given and repeats a sentence,
/// so that the marker check and the loop guard act; it keeps to the token limit it is sent.</summary>
public sealed class ScriptedServerAnswerFlowTests : AnswerFlowSuite, IAsyncLifetime
{
    private const string Reply =
        "Underfitting is a model too simple for the pattern, with high bias [1]. Fix it by adding features or training longer [2][7]. "
        + "Fix it by adding features or training longer [2]. Fix it by adding features or training longer [2].";

    private readonly OpenAiCompatibleServer _server = new((_, received) => Streamed(received));
    private IChatClient? _client;

    protected override IChatClient Client => _client ??= EndpointChatClient.Create(Endpoint(_server.Endpoint));

    private static OpenAiCompatibleServer.Reply Streamed(OpenAiCompatibleServer.Received received)
    {
        using var request = JsonDocument.Parse(received.Body);
        var limit = request.RootElement.TryGetProperty("max_tokens", out var max) ? max.GetInt32()
            : request.RootElement.TryGetProperty("max_completion_tokens", out var completion) ? completion.GetInt32() : int.MaxValue;
        var pieces = OpenAiCompatibleServer.Pieces(Reply).Take(limit).ToList();
        return new OpenAiCompatibleServer.Reply(200, "")
        {
            Events = [.. pieces.Select(p => OpenAiCompatibleServer.Chunk(p)), OpenAiCompatibleServer.Chunk(null, pieces.Count < limit ? "stop" : "length"),
                OpenAiCompatibleServer.Usage(400, pieces.Count), "[DONE]"],
            Pause = TimeSpan.FromMilliseconds(20),
            ContentType = "text/event-stream",
        };
    }

    [Fact]
    public async Task The_script_sets_off_the_marker_check_and_the_loop_guard()
    {
        using var answerer = new ChatClientAnswerer(Client, Generation(), ownsClient: false);

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal([7], answer.DroppedMarkers);
        Assert.True(answer.StoppedRepeating);
        Assert.EndsWith("training longer [2].", answer.Text);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        await _server.DisposeAsync();
    }
}

/// <summary>The flow against llama.cpp's own server on the shared GGUF: real tokens, kept to a few dozen.</summary>
public sealed class LlamaServerAnswerFlowTests(LlamaServerFixture fixture) : AnswerFlowSuite, IClassFixture<LlamaServerFixture>, IDisposable
{
    private IChatClient? _client;

    protected override IChatClient Client => _client ??= EndpointChatClient.Create(Endpoint(fixture.Server.Endpoint, key: null));

    public void Dispose() => _client?.Dispose();
}

/// <summary>The flow on the in-process model (the shared GGUF through llama.cpp in this process).</summary>
public sealed class LocalModelAnswerFlowTests(LocalModelTests.SharedModel model) : AnswerFlowSuite, IClassFixture<LocalModelTests.SharedModel>
{
    protected override IChatClient Client => model.Client;
}
