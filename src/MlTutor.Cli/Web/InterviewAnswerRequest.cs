using System.Globalization;
using System.Text.Json;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Web;

/// <summary>
/// The body of POST /api/interview/answer: {"id", "answer", "seconds"?}: the question answered (its id from
/// GET /api/interview), the answer in the student's words, and how long it took, which lets a quick clear pass count as easy.
/// </summary>
public sealed record InterviewAnswerRequest(string Id, string Answer, TimeSpan? AnswerTime)
{
    /// <summary>Longest answer graded: an interview answer is a few paragraphs; grading embeds each of its clauses.</summary>
    public const int MaxAnswerChars = 10_000;

    /// <summary>Longest answer time taken as given (a day): beyond that the page was left open, not answering.</summary>
    private const double MaxSeconds = 86_400;

    public static InterviewAnswerRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ApiError(400, "the body must be a JSON object: {\"id\": \"…\", \"answer\": \"…\"}");
        if (!body.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()))
            throw new ApiError(400, "\"id\" is missing or not a string: give the id of a question from GET /api/interview");
        if (!body.TryGetProperty("answer", out var a) || a.ValueKind != JsonValueKind.String)
            throw new ApiError(400, "\"answer\" is missing or not a string: {\"id\": \"…\", \"answer\": \"…\"}");
        var answer = QuestionText.FromJson(a);
        if (string.IsNullOrWhiteSpace(answer)) throw new ApiError(400, "the answer is empty");
        if (answer.Length > MaxAnswerChars) throw new ApiError(400, $"the answer is longer than {MaxAnswerChars.ToString("N0", CultureInfo.InvariantCulture)} characters: answer in a few paragraphs");
        return new InterviewAnswerRequest(id.GetString()!, answer, ReadTime(body));
    }

    private static TimeSpan? ReadTime(JsonElement body)
    {
        if (!body.TryGetProperty("seconds", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var s) && s is >= 0 and <= MaxSeconds
            ? TimeSpan.FromSeconds(s)
            : throw new ApiError(400, $"\"seconds\" is the time the answer took, from 0 to {MaxSeconds:0}");
    }
}
