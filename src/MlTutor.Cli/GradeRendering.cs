using MlTutor.Tutoring;

namespace MlTutor.Cli;

/// <summary>How a graded answer is shown: score, verdict and the key points with their lines for people, one JSON object
/// for programs.</summary>
public static class GradeRendering
{
    public static object Json(string id, GradedAnswer graded) => new
    {
        id,
        score = graded.Score,
        verdict = Verdict(graded.Verdict),
        covered = graded.Covered.Select(KeyPointJson),
        missed = graded.Missed.Select(KeyPointJson),
        citations = graded.Citations.Select(c => new { n = c.N, file = c.File, startLine = c.StartLine, endLine = c.EndLine, headingPath = c.HeadingPath, chunkId = c.ChunkId }),
    };

    private static object KeyPointJson(GradedKeyPoint k) =>
        new { text = k.Point.Text, file = k.Point.File, startLine = k.Point.StartLine, endLine = k.Point.EndLine };

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
        o.WriteLine();
    }

    private static string Lines(GradedKeyPoint k) =>
        k.Point.StartLine == k.Point.EndLine ? $"{k.Point.StartLine}" : $"{k.Point.StartLine}-{k.Point.EndLine}";
}
