using System.Diagnostics;
using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;
using Reply = MlTutor.Tests.Answering.OpenAiCompatibleServer.Reply;

namespace MlTutor.Tests.Answering;

/// <summary>Answers written by a language model behind an OpenAI-compatible endpoint, streamed from a real HTTP server on
/// 127.0.0.1, with their citation markers checked as they come.</summary>
public class ChatClientAnswererTests
{
    internal static readonly Chunk Fitting = MakeChunk("fitting.md", 40, "ML Notes › Underfitting",
        "Underfitting happens when a model is too simple to capture the pattern.",
        "- Model has high bias and low variance.");

    internal static readonly Chunk Fixes = MakeChunk("script.md", 300, "Overfitting and underfitting",
        "Problem\tSolutions",
        "Underfitting\tIncrease model complexity, train longer, add features");

    internal static RetrievedContext Question => Context("What is underfitting and how do I fix it?", Fitting, Fixes);

    internal static ChatEndpointOptions Endpoint(Uri endpoint, string? key = "sk-test-123", int retries = 0, double connectSeconds = 5) =>
        new(endpoint, "tutor-model", key, TimeSpan.FromSeconds(connectSeconds), retries, TimeSpan.FromMilliseconds(50), ApiKeyVariable: "MLTUTOR_TEST_KEY");

    internal static ChatAnswerOptions Generation(double firstTokenSeconds = 10, double timeoutSeconds = 30, int maxPromptTokens = 3000) =>
        new(Temperature: 0.1, MaxTokens: 256, TimeSpan.FromSeconds(firstTokenSeconds), TimeSpan.FromSeconds(timeoutSeconds), maxPromptTokens);

    internal static ChatClientAnswerer Answerer(ChatEndpointOptions endpoint, ChatAnswerOptions? generation = null) =>
        new(EndpointChatClient.Create(endpoint), generation ?? Generation());

    [Fact]
    public async Task The_request_streams_model_key_instruction_and_passages_and_used_markers_become_citations()
    {
        await using var server = OpenAiCompatibleServer.Answering(
            "Underfitting is a model too simple for the pattern, with high bias [1]. Fix it by adding features or training longer [2][9].");
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var updates = await Collect(answerer.StreamAsync(Question, AnswerStyle.Tutor));

        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", "/v1/chat/completions", "Bearer sk-test-123"), (request.Method, request.Path, request.Authorization));
        var body = request.Json;
        Assert.Equal("tutor-model", body.GetProperty("model").GetString());
        Assert.True(request.Streamed);
        Assert.Equal(0.1, body.GetProperty("temperature").GetDouble(), 3);
        // Both spellings of the length limit: OpenAI reads one, Ollama and older local servers the other.
        Assert.Equal((256, 256), (body.GetProperty("max_completion_tokens").GetInt32(), body.GetProperty("max_tokens").GetInt32()));
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(("system", AnswerPrompt.TutorInstruction), (messages[0].GetProperty("role").GetString(), messages[0].GetProperty("content").GetString()));
        var user = messages[1].GetProperty("content").GetString()!;
        Assert.Contains("Question: What is underfitting and how do I fix it?", user);
        Assert.Contains("[1] fitting.md:40-41 — ML Notes › Underfitting\n" + Fitting.Text, user);
        Assert.Contains("[2] script.md:300-301 — Overfitting and underfitting\n" + Fixes.Text, user);

        // The text came in pieces, and the pieces are the checked text: [9] was never shown.
        var pieces = updates.Where(u => u.Text.Length > 0).Select(u => u.Text).ToList();
        Assert.True(pieces.Count >= 5, string.Join("|", pieces));
        var answer = updates[^1].Final!;
        Assert.Equal(answer.Text, string.Concat(pieces).TrimEnd());
        Assert.False(answer.NotCovered);
        Assert.False(answer.Uncited);
        Assert.Equal([1, 2], answer.Citations.Select(c => c.N));
        Assert.Equal(new Citation(2, "script.md", 300, 301, "Overfitting and underfitting", Fixes.Id), answer.Citations[1]);
        Assert.Equal([9], answer.DroppedMarkers);
        Assert.EndsWith("adding features or training longer [2].", answer.Text);
        Assert.Null(answer.CutReason);
        Assert.InRange(answer.PromptTokens!.Value, TokenEstimate.Of(user), TokenEstimate.Of(user) + 200);
    }

    [Fact]
    public async Task Text_is_passed_on_as_it_arrives_not_when_the_reply_ends()
    {
        var reply = OpenAiCompatibleServer.Stream(["Underfitting means high bias [1].", " It is fixed", " with more features [2]."]) with
        {
            Pause = TimeSpan.FromMilliseconds(700),
        };
        await using var server = new OpenAiCompatibleServer((_, _) => reply);
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var watch = Stopwatch.StartNew();
        var seen = new List<(TimeSpan At, string Text)>();
        await foreach (var update in answerer.StreamAsync(Question, AnswerStyle.Tutor))
            if (update.Text.Length > 0) seen.Add((watch.Elapsed, update.Text));

        Assert.Equal("Underfitting means high bias [1].", seen[0].Text);
        // The first sentence was shown more than a pause before the last piece: it was not held back to the end.
        Assert.True(seen[^1].At - seen[0].At > TimeSpan.FromMilliseconds(1000), string.Join(", ", seen.Select(s => s.At.TotalMilliseconds)));
    }

    [Fact]
    public async Task A_marker_split_across_pieces_is_checked_whole_and_one_naming_no_passage_is_never_shown()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => OpenAiCompatibleServer.Stream(
            ["High bias", " [", "1", "] and", " low variance [", "3", "]. Fix: more", " features [2, ", "7].", " See [a] too."]));
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var updates = await Collect(answerer.StreamAsync(Question, AnswerStyle.Tutor));

        var shown = string.Concat(updates.Select(u => u.Text));
        Assert.Equal("High bias [1] and low variance. Fix: more features [2]. See [a] too.", shown);
        var answer = updates[^1].Final!;
        Assert.Equal(shown, answer.Text);
        Assert.Equal([3, 7], answer.DroppedMarkers);
        Assert.Equal([1, 2], answer.Citations.Select(c => c.N));
    }

    [Fact]
    public async Task Interviewer_style_sends_its_own_instruction()
    {
        await using var server = OpenAiCompatibleServer.Answering("Interviewer: what is underfitting? A strong answer: high bias [1, 7]. Follow-up: how would you fix it?");
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Interviewer);

        var system = Assert.Single(server.Requests).Json.GetProperty("messages")[0].GetProperty("content").GetString();
        Assert.Equal(AnswerPrompt.InterviewerInstruction, system);
        Assert.Contains("high bias [1].", answer.Text);
        Assert.Equal(1, Assert.Single(answer.Citations).N);
        Assert.Equal([7], answer.DroppedMarkers);
    }

    [Fact]
    public async Task A_reply_saying_the_notes_do_not_cover_it_is_a_not_covered_answer_and_a_reasoning_block_is_not_shown()
    {
        await using var server = OpenAiCompatibleServer.Answering("<think>nothing about sourdough here [1]</think> The notes do not cover this question.");
        using var answerer = Answerer(Endpoint(server.Endpoint, key: null));

        var updates = await Collect(answerer.StreamAsync(Question, AnswerStyle.Tutor));

        Assert.DoesNotContain("think", string.Concat(updates.Select(u => u.Text)));
        var answer = updates[^1].Final!;
        Assert.True(answer.NotCovered);
        Assert.False(answer.Uncited);
        Assert.Empty(answer.Citations);
        Assert.Equal("The notes do not cover this question.", answer.Text);
        Assert.Null(Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task An_answer_without_any_marker_is_flagged_uncited_and_one_whose_markers_all_name_nothing_too()
    {
        await using var server = new OpenAiCompatibleServer((n, _) => OpenAiCompatibleServer.Stream(
            OpenAiCompatibleServer.Pieces(n == 0 ? "Underfitting is when a model is too simple." : "Underfitting is high bias [4].")));
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var plain = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);
        var invented = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.True(plain.Uncited);
        Assert.Empty(plain.DroppedMarkers);
        Assert.True(invented.Uncited);
        Assert.Equal([4], invented.DroppedMarkers);
        Assert.Equal("Underfitting is high bias.", invented.Text);
        Assert.False(plain.NotCovered || invented.NotCovered);
    }

    [Fact]
    public async Task Not_covered_context_makes_no_request()
    {
        await using var server = OpenAiCompatibleServer.Answering("should not be asked [1]");
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var answer = await answerer.AnswerAsync(Question with { NotCovered = true }, AnswerStyle.Tutor);

        Assert.True(answer.NotCovered);
        Assert.Empty(answer.Citations);
        Assert.Contains("notes do not cover", answer.Text);
        Assert.Null(answer.PromptTokens);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_conversation_so_far_goes_into_the_prompt_within_its_budget_oldest_turns_first_then_the_lowest_passages()
    {
        await using var server = OpenAiCompatibleServer.Answering("High bias [1]. More features [2].");
        var followUp = Context("and how do I fix it?", Fitting, Fixes) with
        {
            StandaloneQuestion = "What is underfitting? and how do I fix it?",
            History = ["What is overfitting?", "What is underfitting?"],
        };
        using var roomy = Answerer(Endpoint(server.Endpoint));
        var whole = AnswerPrompt.For(followUp, AnswerStyle.Tutor, 3000);
        var withoutOldest = AnswerPrompt.For(followUp, AnswerStyle.Tutor, whole.EstimatedTokens - 1);
        var onePassage = AnswerPrompt.For(followUp with { History = [] }, AnswerStyle.Tutor,
            AnswerPrompt.For(followUp with { History = [] }, AnswerStyle.Tutor, 3000).EstimatedTokens - 1);

        await roomy.AnswerAsync(followUp, AnswerStyle.Tutor);
        var user = Assert.Single(server.Requests).Json.GetProperty("messages")[1].GetProperty("content").GetString()!;
        Assert.StartsWith("The conversation so far (my earlier questions, oldest first):\n- What is overfitting?\n- What is underfitting?\n\nQuestion: and how do I fix it?\n"
            + "(In the conversation so far this means: What is underfitting? and how do I fix it?)", user);

        Assert.Equal((0, 2), (whole.TurnsLeftOut, whole.Passages));
        Assert.Equal((1, 2), (withoutOldest.TurnsLeftOut, withoutOldest.Passages));
        Assert.DoesNotContain("overfitting?", withoutOldest.Messages[1].Text);
        Assert.Contains("- What is underfitting?", withoutOldest.Messages[1].Text);
        Assert.Equal(1, onePassage.Passages);
        Assert.DoesNotContain("[2] script.md", onePassage.Messages[1].Text);

        // Sent one passage, the model cannot cite a second.
        using var tight = Answerer(Endpoint(server.Endpoint), Generation(maxPromptTokens: onePassage.EstimatedTokens));
        var answer = await tight.AnswerAsync(followUp with { History = [] }, AnswerStyle.Tutor);
        Assert.Equal([2], answer.DroppedMarkers);
        Assert.Equal(1, Assert.Single(answer.Citations).N);
    }

    [Fact]
    public async Task An_answer_that_reaches_the_token_limit_is_kept_and_said_to_be_cut()
    {
        await using var server = new OpenAiCompatibleServer((_, _) => OpenAiCompatibleServer.Stream(["Underfitting is high bias [1] and it", " is fixed by"], finishReason: "length"));
        using var answerer = Answerer(Endpoint(server.Endpoint));

        var answer = await answerer.AnswerAsync(Question, AnswerStyle.Tutor);

        Assert.Equal("Underfitting is high bias [1] and it is fixed by", answer.Text);
        Assert.Equal("it reached the limit of 256 tokens (Answering:MaxTokens)", answer.CutReason);
    }

    [Fact]
    public void The_key_never_shows_in_the_options_text_and_bad_options_are_named()
    {
        var options = Endpoint(new Uri("http://127.0.0.1:11434/v1"));
        Assert.DoesNotContain("sk-test-123", options.ToString());
        Assert.Contains("Answering:Model", Assert.Throws<ArgumentException>(() => EndpointChatClient.Create(options with { Model = " " })).Message);
        Assert.Contains("Answering:ConnectTimeoutSeconds",
            Assert.Throws<ArgumentException>(() => EndpointChatClient.Create(options with { ConnectTimeout = TimeSpan.Zero })).Message);
        Assert.Contains("Answering:FirstTokenTimeoutSeconds",
            Assert.Throws<ArgumentException>(() => Generation(firstTokenSeconds: 0).Validate()).Message);
    }

    internal static async Task<List<AnswerUpdate>> Collect(IAsyncEnumerable<AnswerUpdate> updates, CancellationToken cancellationToken = default)
    {
        var list = new List<AnswerUpdate>();
        await foreach (var update in updates.WithCancellation(cancellationToken)) list.Add(update);
        Assert.NotNull(list[^1].Final);
        return list;
    }
}
