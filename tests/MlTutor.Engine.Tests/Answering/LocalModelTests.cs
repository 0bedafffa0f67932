using Microsoft.Extensions.AI;
using MlTutor.Answering;
using Xunit;
using static MlTutor.Tests.Answering.ChatClientAnswererTests;

namespace MlTutor.Tests.Answering;

/// <summary>The in-process model on the shared GGUF (SmolLM2-135M-Instruct): real tokens from llama.cpp, kept short.</summary>
public sealed class LocalModelTests : IClassFixture<LocalModelTests.SharedModel>
{
    public sealed class SharedModel : IDisposable
    {
        public const string File = "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf";
        private readonly Lazy<LocalModelChatClient> _client = new(() => new LocalModelChatClient(Options(SharedFolder.Require(File))));

        public LocalModelChatClient Client => _client.Value;

        public static LocalModelOptions Options(string path, int contextSize = 2048) =>
            new(path, contextSize, Threads: 2, MaxTokens: 32, RepeatPenalty: 1.1f, Seed: 7);

        public void Dispose()
        {
            if (_client.IsValueCreated) _client.Value.Dispose();
        }
    }

    private readonly SharedModel _model;

    public LocalModelTests(SharedModel model) => _model = model;

    private static readonly ChatMessage[] Prompt =
    [
        new(ChatRole.System, "You are a tutor. Answer in one sentence."),
        new(ChatRole.User, "What does dropout do in a neural network?"),
    ];

    [Fact]
    public async Task Tokens_stream_from_the_models_own_template_up_to_the_limit_with_their_counts()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _model.Client.GetStreamingResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 12, Temperature = 0 }))
            updates.Add(update);

        var pieces = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.InRange(pieces.Count, 2, 12);
        Assert.DoesNotContain("<|im_", string.Concat(pieces.Select(p => p.Text)));
        var last = updates[^1];
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        Assert.Equal(pieces.Count, usage.OutputTokenCount);
        // The ChatML template from the GGUF wraps both messages: more tokens than the words alone.
        Assert.True(usage.InputTokenCount > 25, $"{usage.InputTokenCount} prompt tokens");
        Assert.Equal(pieces.Count == 12 ? ChatFinishReason.Length : ChatFinishReason.Stop, last.FinishReason);
        Assert.Equal("SmolLM2-135M-Instruct.Q4_1", last.ModelId);
    }

    [Fact]
    public async Task Cancelling_stops_generation_at_once_and_the_model_stays_loaded_for_the_next_question()
    {
        _model.Client.EnsureLoaded();
        var loaded = _model.Client.LoadSeconds;
        using var cancel = new CancellationTokenSource();
        var before = _model.Client.TokensSampled;
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in _model.Client.GetStreamingResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 400 }, cancel.Token))
                if (update.Text.Length > 0 && ++seen == 3) await cancel.CancelAsync();
        });
        Assert.Equal(3, seen);
        // A few tokens past the third at most: the model stops at the next token, not at the limit of 400.
        Assert.InRange(_model.Client.TokensSampled - before, 3, 20);

        var again = await _model.Client.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 4 });
        Assert.NotEmpty(again.Text);
        Assert.Equal(loaded, _model.Client.LoadSeconds);
    }

    [Fact]
    public async Task Questions_in_a_row_on_one_loaded_model_each_get_the_answer_they_get_alone()
    {
        ChatMessage[] other =
        [
            new(ChatRole.System, "You are a tutor. Answer in one sentence."),
            new(ChatRole.User, "Explain in detail how the Adam optimiser combines momentum with RMSprop, and why it corrects the bias of its moment estimates."),
        ];
        var greedy = new ChatOptions { MaxOutputTokens = 12, Temperature = 0 };
        var first = await _model.Client.GetResponseAsync(Prompt, greedy);
        var loaded = _model.Client.LoadSeconds;

        var between = await _model.Client.GetResponseAsync(other, new ChatOptions { MaxOutputTokens = 20, Temperature = 0 });
        var again = await _model.Client.GetResponseAsync(Prompt, greedy);

        Assert.NotEmpty(first.Text);
        Assert.NotEqual(first.Text, between.Text);
        // The context is the same one, its memory cleared for each reply: the question between leaves no trace.
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Usage?.InputTokenCount, again.Usage?.InputTokenCount);
        Assert.Equal(loaded, _model.Client.LoadSeconds);
    }

    [Fact]
    public async Task A_reader_that_stops_early_stops_the_generation_and_frees_the_model()
    {
        var request = new ChatOptions { MaxOutputTokens = 160, Temperature = 0 };
        var whole = await _model.Client.GetResponseAsync(Prompt, request);
        Assert.True(whole.Usage?.OutputTokenCount > 40, $"the same answer read to its end: {whole.Usage?.OutputTokenCount} tokens");

        // The loop guard stops reading this way, without cancelling; the same greedy answer is not written to its end.
        var before = _model.Client.TokensSampled;
        var seen = 0;
        await foreach (var update in _model.Client.GetStreamingResponseAsync(Prompt, request))
            if (update.Text.Length > 0 && ++seen == 3) break;
        var stopped = _model.Client.TokensSampled - before;

        // The model may run a few tokens ahead of its reader, never on to the end of the answer nobody reads.
        Assert.Equal(3, seen);
        Assert.InRange(stopped, 3, 20);
        // And it is free: the next request is answered, and costs only its own tokens.
        var next = await _model.Client.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = 4, Temperature = 0 });
        Assert.Equal(4, next.Usage?.OutputTokenCount);
        Assert.Equal(before + stopped + 4, _model.Client.TokensSampled);
    }

    [Fact]
    public async Task A_slow_reader_holds_the_model_to_a_few_tokens_ahead_of_it()
    {
        var request = new ChatOptions { MaxOutputTokens = 160, Temperature = 0 };
        var before = _model.Client.TokensSampled;
        var seen = 0;
        await foreach (var update in _model.Client.GetStreamingResponseAsync(Prompt, request))
        {
            if (update.Text.Length == 0) continue;
            // While the reader dwells on its first piece, the model writes on only as far as the reader lets it.
            if (++seen == 1) await Task.Delay(TimeSpan.FromSeconds(1));
            if (seen == 3) break;
        }

        Assert.InRange(_model.Client.TokensSampled - before, 3, 20);
    }

    [Fact]
    public async Task A_prompt_larger_than_the_context_is_trimmed_to_fit_not_an_error()
    {
        using var client = new LocalModelChatClient(SharedModel.Options(SharedFolder.Require(SharedModel.File), contextSize: 512));
        // Passages far beyond 512 tokens; the answerer's budget for this context leaves room for the answer.
        var passages = Enumerable.Range(0, 12).Select(i => AnswerChecks.MakeChunk($"note{i}.md", 10 * i + 1, "Notes",
            string.Join(' ', Enumerable.Repeat($"Dropout {i} zeroes random activations during training so units cannot co-adapt.", 4)))).ToArray();
        var context = AnswerChecks.Context("What does dropout do?", passages);
        using var answerer = new ChatClientAnswerer(client, Generation(firstTokenSeconds: 120, timeoutSeconds: 300, maxPromptTokens: 400) with { MaxTokens = 16 }, ownsClient: false);

        var answer = await answerer.AnswerAsync(context, AnswerStyle.Tutor);

        Assert.NotEmpty(answer.Text);
        Assert.InRange(answer.PromptTokens ?? 0, 150, 400);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("empty", "too short to be a GGUF model")]
    [InlineData("text", "is not a GGUF model")]
    [InlineData("truncated", "damaged or cut short")]
    public async Task A_missing_or_broken_model_file_is_one_line_saying_what_is_wrong(string kind, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("mltutor-gguf").FullName;
        var path = Path.Combine(dir, "model.gguf");
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "text": File.WriteAllText(path, "<html>404 Not Found</html> and some more text to pass the length"); break;
            case "truncated":
                // The real model's first kilobyte: a GGUF header whose tensors cannot fit in what is left.
                var head = new byte[1024];
                using (var real = File.OpenRead(SharedFolder.Require(SharedModel.File))) real.ReadExactly(head);
                File.WriteAllBytes(path, head);
                break;
        }
        using var client = new LocalModelChatClient(SharedModel.Options(path));

        var e = await Assert.ThrowsAsync<AnswererException>(() => client.GetResponseAsync(Prompt));

        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
