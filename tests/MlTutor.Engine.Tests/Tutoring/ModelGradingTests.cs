using MlTutor.Tests.Answering;
using MlTutor.Tutoring;
using Xunit;

namespace MlTutor.Tests.Tutoring;

/// <summary>
/// With a language model configured, an interview answer is graded offline and by the model against the same key points;
/// the offline grade stays the grade, and a model that fails leaves it with the reason. Against a scripted
/// OpenAI-compatible server on 127.0.0.1, over the sample notes and the real encoder.
/// </summary>
public sealed class ModelGradingTests : IDisposable
{
    private const string Question = "How does dropout prevent overfitting?";
    private const string Answer = "Dropout switches off random units while the network trains, so no unit can rely on another one.";
    private readonly string _index = TestPaths.NewTempDir("mltutor-model-grading-index");

    private Tutor NewTutor(Uri endpoint, string provider = "openai") => new(new TutorSettings
    {
        Corpus = { Directory = Path.Combine(TestPaths.RepoRoot, "corpus") },
        Index = { Directory = _index },
        Answering = { Provider = provider, Endpoint = endpoint.ToString(), Model = "tutor-model", MaxRetries = 0 },
    }, TestPaths.RepoRoot);

    public void Dispose()
    {
        try { Directory.Delete(_index, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_model_grades_the_key_points_it_was_shown_beside_the_offline_grade()
    {
        await using var server = OpenAiCompatibleServer.Answering("Covered: 1\nMissed: 2\nScore: 7\nFeedback: You said what dropout does. Say what happens at test time.");
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();

        var graded = await tutor.GradeAsync(Question, Answer);

        var offline = tutor.Grade(Question, Answer);
        Assert.Equal(offline.Score, graded.Score);
        Assert.Equal(offline.Verdict, graded.Verdict);
        Assert.True(graded.KeyPoints.Count >= 2, $"{graded.KeyPoints.Count} key points");
        var byModel = Assert.IsType<ModelFeedback>(graded.ByModel);
        Assert.Equal("openai", byModel.Provider);
        Assert.Equal(0.7, byModel.Score);
        Assert.Equal(graded.KeyPoints[0].Point, Assert.Single(byModel.Covered));
        Assert.Equal(graded.KeyPoints[1].Point, Assert.Single(byModel.Missed));
        Assert.Equal("You said what dropout does. Say what happens at test time.", byModel.Feedback);
        Assert.Null(graded.ModelError);

        var request = Assert.Single(server.Requests);
        Assert.Contains("1. " + graded.KeyPoints[0].Point.Text.Split('\n')[0], request.Body.Replace("\\n", "\n"));
        Assert.Contains(Answer, request.Body);
        Assert.Equal(0, request.Json.GetProperty("temperature").GetDouble());
        Assert.InRange(request.Json.GetProperty("max_tokens").GetInt32(), 1, 320);
    }

    [Fact]
    public async Task A_failing_model_leaves_the_offline_grade_and_says_why()
    {
        await using var server = new OpenAiCompatibleServer((_, _) =>
            new OpenAiCompatibleServer.Reply(500, OpenAiCompatibleServer.Error("CUDA out of memory", "server_error")));
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();

        var graded = await tutor.GradeAsync(Question, Answer);

        Assert.Null(graded.ByModel);
        Assert.Contains("CUDA out of memory", graded.ModelError);
        Assert.Equal(tutor.Grade(Question, Answer).Score, graded.Score);
        Assert.NotEmpty(graded.KeyPoints);
    }

    [Fact]
    public async Task A_misconfigured_endpoint_leaves_the_offline_grade_with_the_reason()
    {
        using var tutor = new Tutor(new TutorSettings
        {
            Corpus = { Directory = Path.Combine(TestPaths.RepoRoot, "corpus") },
            Index = { Directory = _index },
            Answering = { Provider = "openai", Endpoint = "localhost-without-a-scheme", Model = "tutor-model", MaxRetries = 0 },
        }, TestPaths.RepoRoot);
        tutor.UpdateIndex();

        var graded = await tutor.GradeAsync(Question, Answer);

        Assert.Null(graded.ByModel);
        Assert.Contains("Answering:Endpoint", graded.ModelError);
        Assert.Equal(tutor.Grade(Question, Answer).Score, graded.Score);
    }

    [Fact]
    public async Task A_looping_reply_is_read_up_to_its_repeat()
    {
        await using var server = OpenAiCompatibleServer.Answering(
            "Score: 5\nFeedback: You described dropout during training well. You described dropout during training well. You described dropout during training well.");
        using var tutor = NewTutor(server.Endpoint);
        tutor.UpdateIndex();

        var graded = await tutor.GradeAsync(Question, Answer);

        Assert.Equal("You described dropout during training well.", graded.ByModel!.Feedback);
    }

    [Fact]
    public async Task Nothing_is_sent_offline_for_an_empty_answer_or_a_question_the_notes_do_not_cover()
    {
        await using var server = OpenAiCompatibleServer.Answering("Score: 9\nFeedback: Fine.");
        using var tutor = NewTutor(server.Endpoint, provider: "offline");
        tutor.UpdateIndex();

        Assert.Null((await tutor.GradeAsync(Question, Answer)).ByModel);
        Assert.Null((await tutor.GradeAsync(Question, "  ", AnswerProvider.OpenAi)).ByModel);
        var notCovered = await tutor.GradeAsync("Who won the 1998 football world cup?", "France.", AnswerProvider.OpenAi);
        Assert.True(notCovered.NotCovered);
        Assert.Null(notCovered.ByModel);
        Assert.Empty(server.Requests);
        // Asked for, the model grades although the settings say offline.
        Assert.NotNull((await tutor.GradeAsync(Question, Answer, AnswerProvider.OpenAi)).ByModel);
        Assert.Single(server.Requests);
    }
}
