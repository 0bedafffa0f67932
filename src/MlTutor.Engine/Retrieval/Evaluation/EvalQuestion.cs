using System.Text.Json;

namespace MlTutor.Retrieval.Evaluation;

/// <summary>A verbatim quote from a notes file that answers a question.</summary>
/// <param name="File">The note file's name, as in the corpus folder.</param>
public sealed record EvidenceQuote(string File, string Quote);

/// <summary>
/// One line of an evaluation question file (questions.dev.jsonl):
/// {"id", "question", "answerable", "kind"?, "evidence": [{"file", "quote"}]}. Several evidence quotes are
/// alternatives (the same fact in several places): finding any of them answers the question.
/// </summary>
public sealed record EvalQuestion(string Id, string Question, bool Answerable, string? Kind, IReadOnlyList<EvidenceQuote> Evidence)
{
    /// <summary>The 1-based line of the question file it was read from (0 when not read from a file), for messages.</summary>
    public int Line { get; init; }

    /// <summary>Reads a JSONL question file; blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not a valid question (the message names the file and line).</exception>
    public static IReadOnlyList<EvalQuestion> Load(string path)
    {
        var questions = new List<EvalQuestion>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            EvalQuestion question;
            try
            {
                question = Parse(line);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new InvalidDataException($"{path}:{lineNo}: not a valid question: {e.Message}", e);
            }
            if (!ids.Add(question.Id))
                throw new InvalidDataException($"{path}:{lineNo}: duplicate question id '{question.Id}'.");
            if (question.Answerable && question.Evidence.Count == 0)
                throw new InvalidDataException($"{path}:{lineNo}: question '{question.Id}' is answerable but has no evidence.");
            questions.Add(question with { Line = lineNo });
        }
        return questions;
    }

    private static EvalQuestion Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var id = Required(root, "id").GetString();
        var text = Required(root, "question").GetString();
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(text))
            throw new FormatException("'id' and 'question' must be non-empty strings.");
        var answerable = Required(root, "answerable").GetBoolean();
        string? kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        var evidence = new List<EvidenceQuote>();
        if (root.TryGetProperty("evidence", out var ev) && ev.ValueKind != JsonValueKind.Null)
            foreach (var e in ev.EnumerateArray())
                evidence.Add(new EvidenceQuote(
                    Required(e, "file").GetString() ?? throw new FormatException("Evidence 'file' is null."),
                    Required(e, "quote").GetString() ?? throw new FormatException("Evidence 'quote' is null.")));
        return new EvalQuestion(id, text, answerable, kind, evidence);
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"missing \"{name}\"");
}
