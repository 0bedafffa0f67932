using System.Text.Json;
using MlTutor.Ingestion;
using MlTutor.Tutoring;

namespace MlTutor.Cli;

/// <summary>How a graded answer is shown: score, verdict and the key points with their lines for people, one JSON object
/// for programs.</summary>
public static class GradeRendering
{
    /// <summary>The grade --json object: id, score, verdict, covered, missed, citations; then, when a language model graded
    /// the answer or was asked to and failed, byModel and modelError (one of them null).</summary>
    public static object Json(string id, GradedAnswer graded)
    {
        var json = JsonSerializer.SerializeToNode(new
        {
            id,
            score = graded.Score,
            verdict = Verdict(graded.Verdict),
            covered = graded.Covered.Select(KeyPointJson),
            missed = graded.Missed.Select(KeyPointJson),
            citations = graded.Citations.Select(c => new { n = c.N, file = c.File, startLine = c.StartLine, endLine = c.EndLine, headingPath = c.HeadingPath, chunkId = c.ChunkId }),
        }, Output.Json)!.AsObject();
        if (graded.ByModel is null && graded.ModelError is null) return json;
        json["byModel"] = graded.ByModel is { } m ? JsonSerializer.SerializeToNode(new
        {
            provider = m.Provider,
            score = m.Score,
            readable = m.Readable,
            covered = m.Covered.Select(PointJson),
            missed = m.Missed.Select(PointJson),
            feedback = m.Feedback,
        }, Output.Json) : null;
        json["modelError"] = graded.ModelError;
        return json;
    }

    private static object PointJson(KeyPoint p) => new { text = p.Text, file = p.File, startLine = p.StartLine, endLine = p.EndLine };

    private static object KeyPointJson(GradedKeyPoint k) => PointJson(k.Point);

    private static string Verdict(GradeVerdict verdict) => verdict.ToString().ToLowerInvariant();

    public static void Print(string id, GradedAnswer graded)
    {
        var o = Console.Out;
        o.WriteLine($"{id}: {Verdict(graded.Verdict)} ({graded.Score:0.00}) — {graded.Question}");
        if (graded.NotCovered) o.WriteLine("  The notes do not cover this question: there is nothing to grade the answer against.");
        foreach (var k in graded.Covered) o.WriteLine($"  covered  {k.Point.File}:{Lines(k)}  {k.Point.Text}");
        foreach (var k in graded.Missed)
        {
            o.WriteLine($"  missed   {k.Point.File}:{Lines(k)}  {k.Point.Text}");
            if (k.Contradiction is { } c)
                o.WriteLine($"           the answer says \"{c.Said}\" where the notes say \"{c.NotesSay}\": \"{c.Clause}\"");
        }
        if (graded.ByModel is { } m) o.WriteLine($"  {ModelLine(m)}");
        o.WriteLine();
    }

    /// <summary>What the user should know about the language model's part in a grade, on stderr: it gave none, or one that
    /// kept to no format.</summary>
    public static void Notes(string id, GradedAnswer graded)
    {
        if (graded.ModelError is { } error)
            Console.Error.WriteLine($"mltutor: {id}: the language model gave no grade ({error}); the offline grade stands");
        else if (graded.ByModel is { Readable: false })
            Console.Error.WriteLine($"mltutor: {id}: the language model's reply kept to no grading format: its text is given as feedback, with no score");
    }

    /// <summary>The model's grade in one line: who graded, its score out of 10 when it gave one, its feedback.</summary>
    public static string ModelLine(ModelFeedback m) =>
        $"the {m.Provider} model: {OutOfTen(m) ?? "no score it could be read for"} — {m.Feedback}";

    /// <summary>The model's score as it gave it, out of 10 ("7/10"); null when it gave none that could be read.</summary>
    public static string? OutOfTen(ModelFeedback m) =>
        m.Score is { } s ? (s * 10).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "/10" : null;

    private static string Lines(GradedKeyPoint k) =>
        k.Point.StartLine == k.Point.EndLine ? $"{k.Point.StartLine}" : $"{k.Point.StartLine}-{k.Point.EndLine}";
}
