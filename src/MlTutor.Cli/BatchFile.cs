using System.CommandLine;
using System.Text.Json;
using MlTutor.Tutoring;

namespace MlTutor.Cli;

/// <summary>The --batch files: JSONL, one object per line, each mistake named with FILE:LINE.</summary>
public static class BatchFile
{
    private const string QuestionLine = "{\"id\": \"q1\", \"question\": \"...\"}";
    private const string HistoryExample = "\"history\": [\"an earlier question\", ...]";
    private const string TextLine = "{\"text\": \"...\"}";
    private const string AnswerLine = "{\"id\": \"a1\", \"question\": \"...\", \"answer\": \"...\"}";

    /// <summary>A QUESTION beside --batch FILE would be silently left unanswered: one or the other.</summary>
    public static void RequireQuestionOrBatch(ParseResult parse, Argument<string?> question, Option<string?> batch)
    {
        if (parse.GetValue(batch) is { } file && parse.GetValue(question) is not null)
            throw new UserException($"give a QUESTION or --batch {file}, not both: put the question in the batch file, or leave out --batch");
    }

    /// <summary>
    /// Reads {"id", "question"} lines, each with an optional "history" (the conversation's earlier questions, oldest
    /// first), each question cut to <paramref name="maxQuestionChars"/> (with a warning naming the line); a malformed
    /// line, or a file without any question, is an error naming the file (and line).
    /// </summary>
    public static List<BatchQuestion> ReadQuestions(string file, int maxQuestionChars)
    {
        var result = new List<BatchQuestion>();
        foreach (var (no, root) in Objects(file, QuestionLine))
        {
            var id = !root.TryGetProperty("id", out var i) ? no.ToString()
                : i.ValueKind == JsonValueKind.String ? QuestionText.FromJson(i) : i.ToString();
            var text = QuestionOf(root, file, no);
            if (string.IsNullOrWhiteSpace(text)) throw new UserException($"{file}:{no}: no \"question\" text");
            result.Add(new BatchQuestion(id, QuestionInput.Prepare(text, maxQuestionChars, $"{file}:{no}"), HistoryOf(root, file, no, maxQuestionChars)));
        }
        if (result.Count == 0)
            throw new UserException($"{file} holds no questions: write one {QuestionLine} per line");
        return result;
    }

    /// <summary>
    /// Reads {"id", "question", "answer"} lines, the question cut as a question is (with a warning naming the line); a
    /// malformed line, one without a question or an answer string, or a file without any line is an error naming the
    /// file (and line). An empty answer is an answer: it covers nothing.
    /// </summary>
    public static List<BatchAnswer> ReadAnswers(string file, int maxQuestionChars)
    {
        var result = new List<BatchAnswer>();
        foreach (var (no, root) in Objects(file, AnswerLine))
        {
            var id = !root.TryGetProperty("id", out var i) ? no.ToString()
                : i.ValueKind == JsonValueKind.String ? QuestionText.FromJson(i) : i.ToString();
            var question = QuestionOf(root, file, no);
            if (string.IsNullOrWhiteSpace(question)) throw new UserException($"{file}:{no}: no \"question\" text: write {AnswerLine}");
            if (!root.TryGetProperty("answer", out var a))
                throw new UserException($"{file}:{no}: no \"answer\": write {AnswerLine}");
            if (a.ValueKind != JsonValueKind.String)
                throw new UserException($"{file}:{no}: \"answer\" is {a.ValueKind.ToString().ToLowerInvariant()}, not a string: write the answer as text in quotes");
            result.Add(new BatchAnswer(id, QuestionInput.Prepare(question, maxQuestionChars, $"{file}:{no}"), QuestionText.FromJson(a)));
        }
        if (result.Count == 0)
            throw new UserException($"{file} holds no answers: write one {AnswerLine} per line");
        return result;
    }

    /// <summary>Reads {"text"} lines.</summary>
    public static List<string> ReadTexts(string file)
    {
        var texts = new List<string>();
        foreach (var (no, root) in Objects(file, TextLine))
        {
            if (!root.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                throw new UserException($"{file}:{no}: no \"text\" string");
            texts.Add(QuestionText.FromJson(t));
        }
        if (texts.Count == 0) throw new UserException($"{file} holds no texts: write one {TextLine} per line");
        return texts;
    }

    /// <summary>The JSON object of each non-blank line, with its line number.</summary>
    private static IEnumerable<(int No, JsonElement Root)> Objects(string file, string example)
    {
        InputFile.Require(file);
        var no = 0;
        foreach (var line in File.ReadLines(file))
        {
            no++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(line);
                root = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new UserException($"{file}:{no}: not a JSON object ({e.Message})");
            }
            if (root.ValueKind != JsonValueKind.Object)
                throw new UserException($"{file}:{no}: not a JSON object: write {example}");
            yield return (no, root);
        }
    }

    /// <summary>The "history" of a line: an array of strings, oldest first; none when the line has no "history".</summary>
    private static IReadOnlyList<string> HistoryOf(JsonElement line, string file, int no, int maxQuestionChars)
    {
        if (!line.TryGetProperty("history", out var value) || value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new UserException($"{file}:{no}: \"history\" is not a list of questions: write {HistoryExample}");
        return value.EnumerateArray()
            .Select((e, i) => QuestionInput.Prepare(QuestionText.FromJson(e), maxQuestionChars, $"{file}:{no}: history[{i}]"))
            .ToList();
    }

    /// <summary>The "question" (or "text") of a line; any other JSON type than a string is named, not converted.</summary>
    private static string? QuestionOf(JsonElement line, string file, int no)
    {
        foreach (var name in (string[])["question", "text"])
        {
            if (!line.TryGetProperty(name, out var value)) continue;
            if (value.ValueKind != JsonValueKind.String)
                throw new UserException($"{file}:{no}: \"{name}\" is {value.ValueKind.ToString().ToLowerInvariant()}, not a string: write the question as text in quotes");
            return QuestionText.FromJson(value);
        }
        return null;
    }
}

/// <summary>An answer of a grade --batch file: its id, the question asked and the answer given.</summary>
public sealed record BatchAnswer(string Id, string Question, string Answer);

/// <summary>A question of a --batch file: its id, its text and the earlier questions of its conversation, oldest first.</summary>
public sealed record BatchQuestion(string Id, string Question, IReadOnlyList<string> History);
