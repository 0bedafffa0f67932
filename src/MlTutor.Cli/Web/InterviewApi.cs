using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Web;

/// <summary>
/// The mock interview of the study page, on the tutor's interview calls as <c>mltutor interview</c> makes them: the next
/// questions (due reviews first), and an answer graded and scheduled.
/// </summary>
public sealed class InterviewApi(Tutor tutor, IndexUpdates updates)
{
    /// <summary>The most questions one call gives: a page asks them one by one and comes back for more.</summary>
    public const int MaxQuestions = 100;

    private const int DefaultQuestions = 5;

    public void Map(WebApplication app)
    {
        app.MapGet("/api/interview", Next);
        app.MapPost("/api/interview/answer", AnswerAsync);
    }

    /// <summary>GET /api/interview?n=&amp;topic=: {"due": {today, thisWeek}, "questions": [{id, question, topic, file, startLine, endLine}]}.</summary>
    private IResult Next(string? n, string? topic)
    {
        var count = n is null ? DefaultQuestions
            : int.TryParse(n, out var c) && c >= 1 && c <= MaxQuestions ? c : throw new ApiError(400, $"n is a whole number from 1 to {MaxQuestions}");
        var questions = tutor.NextQuestions(count, string.IsNullOrWhiteSpace(topic) ? null : topic.Trim());
        return StudyApi.Json(InterviewRendering.QuestionsJson(questions, tutor.ReviewProgress()));
    }

    /// <summary>POST /api/interview/answer {"id", "answer", "seconds"?}: {"grade" (grade --json), "review": {rating, due,
    /// days}, "due", "warning"}. The index is brought up to date first, as before a question. With a language model
    /// configured (Answering:Provider), the grade carries its feedback too, as grade --llm gives it.</summary>
    private async Task AnswerAsync(HttpContext http)
    {
        var request = InterviewAnswerRequest.Parse(await RequestBody.ReadAsync(http));
        var warning = updates.BeforeQuestion();
        var question = tutor.QuestionBank().FirstOrDefault(q => q.ItemId == request.Id)
            ?? throw new ApiError(404, $"no question of the notes has the id '{request.Id}' (were the notes edited since it was asked?): ask for the next questions again");
        var (grade, review) = await tutor.AnswerInterviewQuestionAsync(question, request.Answer, request.AnswerTime, cancellationToken: http.RequestAborted);
        await StudyApi.Json(InterviewRendering.AnswerJson(question, grade, review, tutor.ReviewProgress(), warning)).ExecuteAsync(http);
    }
}
