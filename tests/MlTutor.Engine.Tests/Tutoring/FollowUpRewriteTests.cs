using MlTutor.Tests.Answering;
using MlTutor.Tutoring;

namespace MlTutor.Tests.Tutoring;

/// <summary>
/// With a language model configured, a follow-up is rewritten by the model into a standalone question and retrieved with
/// that; when the model fails or writes no usable question, the offline rule reads it. Against a scripted
/// OpenAI-compatible server on 127.0.0.1, over the sample notes and the real encoder.
/// </summary>
public sealed class FollowUpRewriteTests : IDisposable
{
    private const string DropoutQuestion = "How does dropout prevent overfitting?";
    private const string FollowUp = "what do you do with it at test time?";
    private const string Rewritten = "How are the units of a dropout layer treated at test time?";
    private const string ModelAnswer = "Every unit is kept at test time and the activations are scaled [1].";
    private readonly string _index = TestPaths.NewTempDir("mltutor-rewrite-index");

    private Tutor NewTutor(Uri endpoint) => new(new TutorSettings
    {
        Corpus = { Directory = Path.Combine(TestPaths.RepoRoot, "corpus") },
        Index = { Directory = _index },
        Answering = { Provider = "openai", Endpoint = endpoint.ToString(), Model = "tutor-model", MaxRetries = 0 },
    }, TestPaths.RepoRoot);

    public void Dispose()
    {
        try { Directory.Delete(_index, recursive: true); } catch (IOException) { }
    }

    private static bool IsRewrite(OpenAiCompatibleServer.Received request) => request.Body.Contains("Last question:");

    [Fact]
    public async Task The_models_rewrite_is_what_the_follow_up_is_retrieved_with()
    {
        await using var server = new OpenAiCompatibleServer((_, request) => OpenAiCompatibleServer.Stream(
            OpenAiCompatibleServer.Pieces(IsRewrite(request) ? Rewritten : ModelAnswer)));
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();

        var answer = await tutor.AskAsync(FollowUp, new QuestionOptions { History = [DropoutQuestion] });

        Assert.Equal(FollowUp, answer.Question);
        Assert.Equal(Rewritten, answer.StandaloneQuestion);
        Assert.Null(answer.FallbackReason);
        var requests = server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Contains($"- {DropoutQuestion}\\nLast question: {FollowUp}", requests[0].Body);
        // The answer's prompt says what the question was read as, and its passages are those of the rewrite.
        Assert.Contains(Rewritten, requests[1].Body);
        var alone = tutor.Retrieve(Rewritten);
        Assert.Equal("regularization.md", alone.Passages[0].Chunk.File);
        Assert.Contains(answer.Citations, c => c.File == "regularization.md" && c.HeadingPath.EndsWith("Dropout"));
    }

    [Fact]
    public async Task A_rewrite_that_still_leans_on_the_conversation_is_read_with_it()
    {
        const string leaning = "What is done with it at test time?";
        await using var server = new OpenAiCompatibleServer((_, request) => OpenAiCompatibleServer.Stream(
            OpenAiCompatibleServer.Pieces(IsRewrite(request) ? leaning : ModelAnswer)));
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();

        var answer = await tutor.AskAsync(FollowUp, new QuestionOptions { History = [DropoutQuestion] });

        Assert.Equal("How does dropout prevent overfitting, " + leaning, answer.StandaloneQuestion);
        Assert.Contains(answer.Citations, c => c.File == "regularization.md" && c.HeadingPath.EndsWith("Dropout"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(200)]
    public async Task A_failed_or_unusable_rewrite_leaves_the_follow_up_to_the_offline_rule(int status)
    {
        // 500: the rewrite request fails; 200: the model only repeats the earlier question.
        await using var server = new OpenAiCompatibleServer((_, request) => !IsRewrite(request)
            ? OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces(ModelAnswer))
            : status == 200
                ? OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces(DropoutQuestion))
                : new OpenAiCompatibleServer.Reply(status, OpenAiCompatibleServer.Error("the server is overloaded", "server_error")));
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();
        var offline = tutor.Retrieve(FollowUp, new QuestionOptions { History = [DropoutQuestion] });

        var answer = await tutor.AskAsync(FollowUp, new QuestionOptions { History = [DropoutQuestion] });

        Assert.NotEqual(FollowUp, offline.StandaloneQuestion);
        Assert.Equal(offline.StandaloneQuestion, answer.StandaloneQuestion);
        Assert.Equal(ModelAnswer, answer.Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_question_without_history_is_not_sent_for_rewriting()
    {
        await using var server = OpenAiCompatibleServer.Answering(ModelAnswer);
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();

        var answer = await tutor.AskAsync(DropoutQuestion);

        Assert.Equal(DropoutQuestion, answer.StandaloneQuestion);
        Assert.DoesNotContain(server.Requests, IsRewrite);
    }
}
