using System.Diagnostics;
using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;
using Reply = MlTutor.Tests.Answering.OpenAiCompatibleServer.Reply;

namespace MlTutor.Tests.Answering;

public class ChatCompletionAnswererTests
{
    private static readonly Chunk Fitting = MakeChunk("fitting.md", 40, "ML Notes › Underfitting",
        "Underfitting happens when a model is too simple to capture the pattern.",
        "- Model has high bias and low variance.");

    private static readonly Chunk Fixes = MakeChunk("script.md", 300, "Overfitting and underfitting",
        "Problem\tSolutions",
        "Underfitting\tIncrease model complexity, train longer, add features");

    private static RetrievedContext Question => Context("What is underfitting and how do I fix it?", Fitting, Fixes);

    private static ChatEndpointOptions Options(Uri endpoint, string? key = "sk-test-123", int retries = 0, double timeoutSeconds = 20) =>
        new(endpoint, "tutor-model", key, TimeSpan.FromSeconds(timeoutSeconds), Temperature: 0.1, MaxTokens: 256, MaxRetries: retries, ApiKeyVariable: "MLTUTOR_TEST_KEY");

    [Fact]
    public async Task The_request_carries_model_key_instruction_and_passages_and_used_markers_become_citations()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion(
            "Underfitting is a model too simple for the pattern, with high bias [1]. Fix it by adding features or training longer [2][9].")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint));

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/chat/completions", "Bearer sk-test-123"), (request.Method, request.Path, request.Authorization));
        var body = request.Json;
        Assert.Equal("tutor-model", body.GetProperty("model").GetString());
        Assert.False(body.TryGetProperty("stream", out var stream) && stream.GetBoolean());
        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble(), 3);
        // Both spellings of the length limit: OpenAI reads one, Ollama and older local servers the other.
        Assert.Equal((256, 256), (body.GetProperty("max_completion_tokens").GetInt32(), body.GetProperty("max_tokens").GetInt32()));
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(("system", ChatCompletionAnswerer.TutorSystemPrompt), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        var user = messages[1].GetProperty("content").GetString()!;
        Assert.Contains("Question: What is underfitting and how do I fix it?", user);
        Assert.Contains("[1] fitting.md:40-41 — ML Notes › Underfitting\n" + Fitting.Text, user);
        Assert.Contains("[2] script.md:300-301 — Overfitting and underfitting\n" + Fixes.Text, user);

        Assert.False(answer.NotCovered);
        Assert.Equal([1, 2], answer.Citations.Select(c => c.N));
        Assert.Equal(new Citation(2, "script.md", 300, 301, "Overfitting and underfitting", Fixes.Id), answer.Citations[1]);
        Assert.DoesNotContain("[9]", answer.Text); // a passage that does not exist is not cited
        Assert.EndsWith("adding features or training longer [2].", answer.Text);
    }

    [Fact]
    public async Task Interviewer_style_sends_its_own_instruction()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion(
            "Interviewer: what is underfitting? A strong answer: high bias [1, 7]. Follow-up: how would you fix it?")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint));

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Interviewer);

        var system = Assert.Single(server.Requests).Json.GetProperty("messages")[0].GetProperty("content").GetString();
        Assert.Equal(ChatCompletionAnswerer.InterviewerSystemPrompt, system);
        Assert.Contains("high bias [1].", answer.Text);
        Assert.Equal(1, Assert.Single(answer.Citations).N);
    }

    [Fact]
    public async Task A_reply_saying_the_notes_do_not_cover_it_is_a_not_covered_answer()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion(
            "<think>nothing about sourdough here</think>The notes do not cover this question.")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint, key: null));

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.True(answer.NotCovered);
        Assert.Empty(answer.Citations);
        Assert.Equal("The notes do not cover this question.", answer.Text);
    }

    [Fact]
    public async Task Not_covered_context_makes_no_request()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion("should not be asked [1]")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint));

        var answer = await answerer.AnswerAsync(Question with { NotCovered = true }, AnswerStyle.Tutor);

        Assert.True(answer.NotCovered);
        Assert.Empty(answer.Citations);
        Assert.Contains("notes do not cover", answer.Text);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_rejected_key_is_reported_with_the_variable_to_fix()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(401, OpenAiCompatibleServer.Error("Incorrect API key provided")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint));

        var e = await Assert.ThrowsAsync<AnswererException>(() => answerer.AnswerAsync(Question, AnswerStyle.Tutor));

        AssertOneLine(e.Message);
        Assert.Contains("rejected the API key (HTTP 401: Incorrect API key provided)", e.Message);
        Assert.Contains("MLTUTOR_TEST_KEY", e.Message);
    }

    [Fact]
    public async Task A_missing_model_is_reported_with_the_setting_to_fix()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(404, OpenAiCompatibleServer.Error("model \"tutor-model\" not found, try pulling it first")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint));

        var e = await Assert.ThrowsAsync<AnswererException>(() => answerer.AnswerAsync(Question, AnswerStyle.Tutor));

        AssertOneLine(e.Message);
        Assert.Contains("no model 'tutor-model'", e.Message);
        Assert.Contains("Answering:Model", e.Message);
    }

    [Fact]
    public async Task A_server_error_is_reported_after_the_configured_retries()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(500, OpenAiCompatibleServer.Error("CUDA out of memory", "server_error")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint, retries: 1));

        var e = await Assert.ThrowsAsync<AnswererException>(() => answerer.AnswerAsync(Question, AnswerStyle.Tutor));

        AssertOneLine(e.Message);
        Assert.Contains("HTTP 500: CUDA out of memory", e.Message);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_transient_failure_is_retried()
    {
        await using var server = new OpenAiCompatibleServer((n, _) => n == 0
            ? new Reply(503, OpenAiCompatibleServer.Error("loading model", "server_error"))
            : new Reply(200, OpenAiCompatibleServer.Completion("High bias [1].")));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint, retries: 2));

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("High bias [1].", answer.Text);
    }

    [Fact]
    public async Task A_closed_port_is_reported_as_a_refused_connection()
    {
        var endpoint = new Uri($"http://127.0.0.1:{OpenAiCompatibleServer.FreePort()}/v1");
        using var answerer = new ChatCompletionAnswerer(Options(endpoint));

        var e = await Assert.ThrowsAsync<AnswererException>(() => answerer.AnswerAsync(Question, AnswerStyle.Tutor));

        AssertOneLine(e.Message);
        Assert.Equal($"the endpoint {endpoint.ToString().TrimEnd('/')} refused the connection: is the server running? set Answering:Endpoint", e.Message);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_is_reported_as_a_timeout()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion("late [1]"), TimeSpan.FromSeconds(10)));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint, timeoutSeconds: 0.5));

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<AnswererException>(() => answerer.AnswerAsync(Question, AnswerStyle.Tutor));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        AssertOneLine(e.Message);
        Assert.Contains("did not answer within 0.5 s", e.Message);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_reported_as_an_endpoint_failure()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion("late [1]"), TimeSpan.FromSeconds(10)));
        using var answerer = new ChatCompletionAnswerer(Options(server.Endpoint));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answerer.AnswerAsync(Question, AnswerStyle.Tutor, cancel.Token));
    }

    [Fact]
    public void The_key_never_shows_in_the_options_text_and_bad_options_are_named()
    {
        var options = Options(new Uri("http://127.0.0.1:11434/v1"));
        Assert.DoesNotContain("sk-test-123", options.ToString());
        var e = Assert.Throws<ArgumentException>(() => new ChatCompletionAnswerer(options with { Model = " " }));
        Assert.Contains("Answering:Model", e.Message);
    }

    private static void AssertOneLine(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.InRange(message.Length, 20, 400);
    }
}
