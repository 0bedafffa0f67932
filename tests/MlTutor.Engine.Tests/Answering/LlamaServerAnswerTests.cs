using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using MlTutor.Answering;
using Xunit;
using static MlTutor.Tests.Answering.ChatClientAnswererTests;

namespace MlTutor.Tests.Answering;

/// <summary>One real llama.cpp server for the tests of the class, on the shared GGUF model.</summary>
public sealed class LlamaServerFixture : IDisposable
{
    private readonly Lazy<LlamaServer> _server = new(LlamaServer.Start);

    /// <summary>The running server; the first test to ask starts it (or is skipped when the shared folder lacks it).</summary>
    public LlamaServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated) _server.Value.Dispose();
    }
}

/// <summary>The answerer against llama.cpp's own server: real tokens streamed by a real (tiny) model, with the same
/// checks as against the scripted server. Generation is kept to a few dozen tokens.</summary>
public sealed class LlamaServerAnswerTests(LlamaServerFixture fixture) : IClassFixture<LlamaServerFixture>
{
    private static ChatAnswerOptions Short => new(Temperature: 0, MaxTokens: 40, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), 3000);

    [SkippableFact]
    public async Task Real_tokens_stream_in_pieces_and_the_answer_is_checked()
    {
        using var answerer = new ChatClientAnswerer(EndpointChatClient.Create(Endpoint(fixture.Server.Endpoint, key: null)), Short);

        var watch = Stopwatch.StartNew();
        var arrivals = new List<(TimeSpan At, string Text)>();
        Answer? final = null;
        await foreach (var update in answerer.StreamAsync(Question, AnswerStyle.Tutor))
        {
            if (update.Text.Length > 0) arrivals.Add((watch.Elapsed, update.Text));
            final = update.Final ?? final;
        }

        Assert.NotNull(final);
        Assert.True(arrivals.Count >= 5, string.Join("|", arrivals.Select(a => a.Text)));
        Assert.True(arrivals[^1].At - arrivals[0].At > TimeSpan.FromMilliseconds(50), "the pieces came all at once");
        Assert.Equal(final.Text, string.Concat(arrivals.Select(a => a.Text)).TrimEnd());
        Assert.Equal(final.Citations.Count == 0 && !final.NotCovered, final.Uncited);
        Assert.All(final.Citations, c => Assert.InRange(c.N, 1, Question.Passages.Count));
        Assert.True(final.PromptTokens > 100);
        // Forty tokens end a tutor's answer early or cut it at the limit; either way nothing was lost on the way.
        Assert.True(final.CutReason is null || final.CutReason.Contains("limit of 40 tokens"), final.CutReason);
    }

    [SkippableFact]
    public async Task The_prompt_estimate_is_close_to_the_servers_own_count_and_errs_high()
    {
        var prompt = AnswerPrompt.For(Question, AnswerStyle.Tutor, 3000);
        using var http = new HttpClient();
        var response = await http.PostAsJsonAsync(new Uri(fixture.Server.Endpoint + "/chat/completions"), new
        {
            model = "tutor-model",
            max_tokens = 1,
            messages = prompt.Messages.Select(m => new { role = m.Role.Value, content = m.Text }),
        });
        response.EnsureSuccessStatusCode();
        var counted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();

        Assert.InRange(prompt.EstimatedTokens, counted, counted * 1.5);
    }

    [SkippableFact]
    public async Task The_check_names_the_model_and_times_its_first_token_and_generation()
    {
        using var answerer = new ChatClientAnswerer(EndpointChatClient.Create(Endpoint(fixture.Server.Endpoint, key: null)), Short);

        var report = await answerer.CheckAsync("openai");

        Assert.Contains("SmolLM2-135M-Instruct", report.Model);
        Assert.Null(report.ContextSize);
        Assert.Null(report.LoadSeconds);
        Assert.InRange(report.FirstTokenSeconds!.Value, 0.001, 60);
        Assert.True(report.PromptTokensPerSecond > 0);
        Assert.True(report.GenerationTokensPerSecond > 0);
        Assert.NotEmpty(report.Reply);
        Assert.InRange(report.CompletionTokens!.Value, 2, LlmCheckReport.GeneratedTokens);
    }
}
