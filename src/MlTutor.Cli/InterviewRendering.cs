using MlTutor.Tutoring;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Cli;

/// <summary>The mock interview as JSON: the questions to ask, and an answer's grade (as grade --json gives it) with the
/// review it scheduled.</summary>
public static class InterviewRendering
{
    public static object QuestionsJson(IReadOnlyList<InterviewQuestion> questions, IReadOnlyList<TopicProgress> progress) => new
    {
        due = Due(progress),
        questions = questions.Select(q => new { id = q.ItemId, question = q.Question, topic = q.Topic, file = q.File, startLine = q.StartLine, endLine = q.EndLine }),
    };

    /// <summary>The grade --json object of the answer, with the review it scheduled: the rating, when the question is due
    /// again and after how many days.</summary>
    public static object AnswerJson(InterviewQuestion question, GradedAnswer grade, ReviewLogEntry review, IReadOnlyList<TopicProgress> progress,
        string? warning) => new
    {
        grade = GradeRendering.Json(question.ItemId, grade),
        review = new
        {
            rating = review.Rating.ToString().ToLowerInvariant(),
            due = review.After.Due.ToUniversalTime(),
            days = Math.Round((review.After.Due - review.At).TotalDays, 3),
        },
        due = Due(progress),
        warning,
    };

    /// <summary>The reviews that come due by the end of today and within the week, over every topic.</summary>
    private static object Due(IReadOnlyList<TopicProgress> progress) =>
        new { today = progress.Sum(t => t.DueToday), thisWeek = progress.Sum(t => t.DueThisWeek) };
}
