using System.Diagnostics;
using MlTutor.Answering;
using Xunit;
using static MlTutor.Tests.Answering.ChatClientAnswererTests;
using Reply = MlTutor.Tests.Answering.OpenAiCompatibleServer.Reply;

namespace MlTutor.Tests.Answering;

/// <summary>
/// Every way an endpoint fails, each against a real server (or port) on 127.0.0.1: before the first token the student gets
/// one line with the reason and then the offline answer; after some tokens the text is kept and said to be cut. Nothing
/// here may end in an exception other than the caller's own cancelling.
/// </summary>
public class EndpointFaultTests
{
    private static readonly ExtractiveAnswerer Offline = new();

    private static FallbackAnswerer WithFallback(ChatClientAnswerer model) => new(model, Offline);

    /// <summary>The updates of an answer that fell back: the reason first, then the offline answer, which says why.</summary>
    private static async Task<Answer> AssertFellBack(ChatClientAnswerer model, string reason)
    {
        var updates = await Collect(WithFallback(model).StreamAsync(Question, AnswerStyle.Tutor));
        var notice = updates[0].Notice;
        Assert.NotNull(notice);
        Assert.Equal("", updates[0].Text);
        Assert.Contains(reason, notice);
        Assert.DoesNotContain('\n', notice);
        Assert.InRange(notice.Length, 20, 400);
        var answer = updates[^1].Final!;
        Assert.Equal(notice, answer.FallbackReason);
        Assert.Equal(Offline.Answer(Question, AnswerStyle.Tutor).Text, answer.Text);
        Assert.NotEmpty(answer.Citations);
        Assert.Null(answer.PromptTokens);
        return answer;
    }

    [Fact]
    public async Task A_refused_connection_gives_the_reason_then_the_offline_answer()
    {
        var endpoint = new Uri($"http://127.0.0.1:{OpenAiCompatibleServer.FreePort()}/v1");
        using var model = Answerer(Endpoint(endpoint));

        await AssertFellBack(model, $"the endpoint http://127.0.0.1:{endpoint.Port}/v1 refused the connection: is the server running? check Answering:Endpoint");
    }

    [Fact]
    public async Task A_connection_that_is_never_accepted_times_out_after_the_connect_timeout()
    {
        using var listener = new FullListener();
        using var model = Answerer(Endpoint(listener.Endpoint, connectSeconds: 0.5), Generation(firstTokenSeconds: 20));

        var watch = Stopwatch.StartNew();
        await AssertFellBack(model, "could not be connected to within 0.5 s: is the server up and reachable? check Answering:Endpoint, or raise Answering:ConnectTimeoutSeconds");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_sends_no_token_is_given_up_on_after_the_first_token_timeout()
    {
        // It answers the headers at once and then says nothing, as a server reading a long prompt does.
        await using var server = new OpenAiCompatibleServer((_, _) => OpenAiCompatibleServer.Stream([]) with
        {
            Events = [],
            PauseAtEnd = TimeSpan.FromSeconds(20),
        });
        using var model = Answerer(Endpoint(server.Endpoint), Generation(firstTokenSeconds: 0.6));

        var watch = Stopwatch.StartNew();
        await AssertFellBack(model, "the language model sent no token within 0.6 s: raise Answering:FirstTokenTimeoutSeconds");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_server_that_does_not_even_answer_the_request_is_given_up_on_after_the_first_token_timeout()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion("late [1]"), TimeSpan.FromSeconds(20)));
        using var model = Answerer(Endpoint(server.Endpoint), Generation(firstTokenSeconds: 0.6));

        await AssertFellBack(model, "sent no token within 0.6 s");
    }

    [Fact]
    public async Task A_rejected_key_names_the_variable_to_fix()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(401, OpenAiCompatibleServer.Error("Incorrect API key provided")));
        using var model = Answerer(Endpoint(server.Endpoint, retries: 2));

        await AssertFellBack(model, "rejected the API key (HTTP 401: Incorrect API key provided): check the key in MLTUTOR_TEST_KEY");
        Assert.Single(server.Requests); // a wrong key is not retried
    }

    [Fact]
    public async Task An_endpoint_that_wants_a_key_when_none_is_set_says_where_to_put_one_and_was_sent_no_authorization()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(403, OpenAiCompatibleServer.Error("Forbidden")));
        using var model = Answerer(Endpoint(server.Endpoint, key: null));

        await AssertFellBack(model, "wants an API key (HTTP 403: Forbidden): put the key in an environment variable and name that variable in Answering:ApiKeyVariable");
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task A_missing_model_names_the_setting_to_fix()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(404, OpenAiCompatibleServer.Error("model \"tutor-model\" not found, try pulling it first")));
        using var model = Answerer(Endpoint(server.Endpoint, retries: 2));

        await AssertFellBack(model, "has no model 'tutor-model' or no chat-completions route (HTTP 404: model \"tutor-model\" not found, try pulling it first): check Answering:Model");
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_passing_failure_is_retried_with_back_off_and_the_answer_streams_after_it(int status)
    {
        var tries = new List<DateTime>();
        await using var server = new OpenAiCompatibleServer((n, _) =>
        {
            lock (tries) tries.Add(DateTime.UtcNow);
            return n < 2 ? new Reply(status, OpenAiCompatibleServer.Error("busy, loading model", "server_error"))
                : OpenAiCompatibleServer.Stream(["High bias [1]."]);
        });
        using var model = Answerer(Endpoint(server.Endpoint, retries: 2));

        var answer = await WithFallback(model).AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal("High bias [1].", answer.Text);
        Assert.Null(answer.FallbackReason);
        Assert.Equal(3, tries.Count);
        // Back-off: exponential from 50 ms, so 50 ms and then 100 ms.
        Assert.True(tries[1] - tries[0] >= TimeSpan.FromMilliseconds(45), $"{(tries[1] - tries[0]).TotalMilliseconds} ms");
        Assert.True(tries[2] - tries[1] >= TimeSpan.FromMilliseconds(95), $"{(tries[2] - tries[1]).TotalMilliseconds} ms");
        Assert.All(server.Requests, r => Assert.True(r.Streamed));
    }

    [Fact]
    public async Task A_retry_after_header_is_waited_for()
    {
        var tries = new List<DateTime>();
        await using var server = new OpenAiCompatibleServer((n, _) =>
        {
            lock (tries) tries.Add(DateTime.UtcNow);
            return n == 0
                ? new Reply(429, OpenAiCompatibleServer.Error("slow down")) { Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } }
                : OpenAiCompatibleServer.Stream(["High bias [1]."]);
        });
        using var model = Answerer(Endpoint(server.Endpoint, retries: 1));

        var answer = await model.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal("High bias [1].", answer.Text);
        Assert.True(tries[1] - tries[0] >= TimeSpan.FromMilliseconds(900), $"{(tries[1] - tries[0]).TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(429, "is rate-limiting or out of quota (HTTP 429: quota) after 3 tries: wait and retry, or check the account")]
    [InlineData(500, "failed (HTTP 500: quota) after 3 tries: check the server's log, or that model 'tutor-model' fits in its memory")]
    public async Task A_failure_that_lasts_through_the_retries_gives_the_reason_then_the_offline_answer(int status, string reason)
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(status, OpenAiCompatibleServer.Error("quota", "server_error")));
        using var model = Answerer(Endpoint(server.Endpoint, retries: 2));

        await AssertFellBack(model, reason);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_malformed_stream_gives_the_reason_then_the_offline_answer()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, "")
        {
            Events = ["{\"choices\": [{\"delta\": {\"content\": \"Under"],
            ContentType = "text/event-stream",
        });
        using var model = Answerer(Endpoint(server.Endpoint));

        await AssertFellBack(model, "sent something that is not a chat completion (");
    }

    [Fact]
    public async Task A_body_that_is_not_a_stream_at_all_gives_the_reason_then_the_offline_answer()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, "<html><body>Welcome to nginx!</body></html>") { ContentType = "text/html" });
        using var model = Answerer(Endpoint(server.Endpoint));

        await AssertFellBack(model, "the language model wrote nothing");
    }

    [Fact]
    public async Task A_stream_cut_in_the_middle_keeps_the_text_and_says_it_was_cut()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, "")
        {
            Events = [OpenAiCompatibleServer.Chunk("Underfitting is high bias [1]"), OpenAiCompatibleServer.Chunk(" and it is fixed"), OpenAiCompatibleServer.Chunk(" by adding")],
            ContentType = "text/event-stream",
            Cut = true,
        });
        using var model = Answerer(Endpoint(server.Endpoint));

        var updates = await Collect(WithFallback(model).StreamAsync(Question, AnswerStyle.Tutor));

        Assert.All(updates, u => Assert.Null(u.Notice));
        var answer = updates[^1].Final!;
        Assert.Equal("Underfitting is high bias [1] and it is fixed by adding", answer.Text);
        Assert.Null(answer.FallbackReason);
        Assert.StartsWith($"the connection to {server.Endpoint.ToString().TrimEnd('/')} broke off (", answer.CutReason);
        Assert.Equal(1, Assert.Single(answer.Citations).N);
    }

    [Fact]
    public async Task A_stream_closed_in_the_middle_without_a_finish_keeps_the_text_and_says_it_was_cut()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, "")
        {
            Events = [OpenAiCompatibleServer.Chunk("Underfitting is high bias [1]"), OpenAiCompatibleServer.Chunk(" and it")],
            ContentType = "text/event-stream",
        });
        using var model = Answerer(Endpoint(server.Endpoint));

        var answer = await WithFallback(model).AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal("Underfitting is high bias [1] and it", answer.Text);
        Assert.Equal("the reply ended before the language model said it was finished", answer.CutReason);
    }

    [Fact]
    public async Task A_stream_that_stalls_in_the_middle_keeps_the_text_and_says_it_was_cut()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, "")
        {
            Events = [OpenAiCompatibleServer.Chunk("Underfitting is high bias [1]"), OpenAiCompatibleServer.Chunk(" and")],
            PauseAtEnd = TimeSpan.FromSeconds(20),
            ContentType = "text/event-stream",
        });
        // Long enough for the first pieces to arrive on a busy machine, far shorter than the stall.
        using var model = Answerer(Endpoint(server.Endpoint), Generation(firstTokenSeconds: 3));

        var answer = await WithFallback(model).AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal("Underfitting is high bias [1] and", answer.Text);
        Assert.Equal("the language model sent nothing for 3 s: raise Answering:FirstTokenTimeoutSeconds, or use a smaller model", answer.CutReason);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_reported_as_an_endpoint_failure_nor_answered_offline()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => new Reply(200, OpenAiCompatibleServer.Completion("late [1]"), TimeSpan.FromSeconds(10)));
        using var model = Answerer(Endpoint(server.Endpoint));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => WithFallback(model).AnswerAsync(Question, AnswerStyle.Tutor, cancel.Token));
    }
}
