using System.Text.Json;
using MlTutor.Answering;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Web;

/// <summary>The body of POST /api/ask: {"question", "history"?, "mode"?, "k"?}, read as ask and chat read theirs.</summary>
public sealed record AskRequest(string Question, IReadOnlyList<string> History, AnswerStyle Style, int? K)
{
    /// <summary>Most earlier questions a conversation sends: the retrieval reads only the last few anyway.</summary>
    public const int MaxHistory = 50;

    public static AskRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ApiError(400, "the body must be a JSON object: {\"question\": \"…\"}");
        if (!body.TryGetProperty("question", out var q) || q.ValueKind != JsonValueKind.String)
            throw new ApiError(400, "\"question\" is missing or not a string: {\"question\": \"…\"}");
        var question = QuestionText.FromJson(q);
        if (string.IsNullOrWhiteSpace(question)) throw new ApiError(400, "the question is empty");
        return new AskRequest(question, ReadHistory(body), ReadStyle(body), ReadK(body));
    }

    private static IReadOnlyList<string> ReadHistory(JsonElement body)
    {
        if (!body.TryGetProperty("history", out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new ApiError(400, "\"history\" must be a list of the earlier questions, oldest first");
        if (value.GetArrayLength() > MaxHistory) throw new ApiError(400, $"\"history\" holds more than {MaxHistory} questions: start a new conversation");
        return value.EnumerateArray().Select(QuestionText.FromJson).ToList();
    }

    private static AnswerStyle ReadStyle(JsonElement body)
    {
        if (!body.TryGetProperty("mode", out var value) || value.ValueKind == JsonValueKind.Null) return AnswerStyle.Tutor;
        return value.ValueKind == JsonValueKind.String && value.GetString() is { } mode
            && Enum.TryParse<AnswerStyle>(mode, ignoreCase: true, out var style) && Enum.IsDefined(style) && !char.IsDigit(mode.FirstOrDefault())
            ? style
            : throw new ApiError(400, "\"mode\" is \"tutor\" or \"interviewer\"");
    }

    private static int? ReadK(JsonElement body)
    {
        if (!body.TryGetProperty("k", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var max = TutorSettings.RetrievalSettings.MaxK;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var k) && k >= 1 && k <= max
            ? k
            : throw new ApiError(400, $"\"k\" is a whole number from 1 to {max}");
    }
}
