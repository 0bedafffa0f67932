using MlTutor.Answering;
using MlTutor.Embedding;

namespace MlTutor.Tutoring;

/// <summary>
/// Grades a spoken answer against the notes offline. The reference is the key points of the retrieved passages closest
/// to the question; each is judged by how much of it the answer expresses: the best cosine of the point with a sentence
/// of the answer (or two sentences in a row), mixed with the share of the point's exact terms the answer uses. A point
/// the answer reverses (<see cref="ReversedRelations"/>) counts against the answer. The score is the points' mean,
/// weighted by their closeness to the question, and the verdict comes from the configured thresholds.
/// </summary>
public sealed class AnswerGrader(Func<IReadOnlyList<string>, float[][]> embed, TutorSettings.GradingSettings settings)
{
    /// <param name="notes">The key points of the passages retrieved with the question, best passage first.</param>
    public GradedAnswer Grade(string question, string answer, IReadOnlyList<KeyPoint> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var noteVectors = embed([question, .. notes.Select(n => n.Text)]);
        var reference = Reference(notes, noteVectors);
        if (reference.Count == 0) return new GradedAnswer(question, 0, GradeVerdict.Fail, [], [], [], NotCovered: true);
        if (string.IsNullOrWhiteSpace(answer))
            return Graded(question, reference.Select(r => (r.Point, r.Weight, new GradedKeyPoint(r.Point, 0, null))).ToList());

        var sentences = SpokenClauses.Sentences(answer);
        var spans = sentences.Concat(sentences.Zip(sentences.Skip(1), (a, b) => a + " " + b)).ToList();
        var vectors = embed(spans);
        var answerTerms = new TermWords(answer);
        var clauses = sentences.SelectMany(SpokenClauses.Clauses).Select(c => (c, new TermWords(c))).ToList();
        var noteTerms = notes.Select(n => new TermWords(n.Text)).ToList();
        var reversals = new ReversedRelations(embed, settings.SwapSimilarity, settings.SiblingSimilarity, noteTerms, noteVectors[1..]);

        var graded = new List<(KeyPoint, double, GradedKeyPoint)>();
        for (var i = 0; i < reference.Count; i++)
        {
            var (point, at, weight) = reference[i];
            var pointTerms = noteTerms[at];
            var similarity = Enumerable.Range(0, spans.Count).Max(s => VectorMath.Cosine(noteVectors[at + 1], vectors[s]));
            var coverage = Math.Clamp((similarity - settings.NoSimilarity) / (settings.FullSimilarity - settings.NoSimilarity), 0, 1);
            var terms = pointTerms.Count == 0 ? coverage : pointTerms.Terms.Count(answerTerms.Contains) / (double)pointTerms.Count;
            coverage = (1 - settings.TermWeight) * coverage + settings.TermWeight * terms;
            graded.Add((point, weight, new GradedKeyPoint(point, coverage, reversals.Against(at, clauses))));
        }
        return Graded(question, graded);
    }

    /// <summary>The key points closest to the question (cosine), within the configured gap of the closest, at most the
    /// configured number, in note order, each weighted by its closeness.</summary>
    private List<(KeyPoint Point, int At, double Weight)> Reference(IReadOnlyList<KeyPoint> notes, float[][] vectors)
    {
        if (notes.Count == 0) return [];
        var scored = notes.Select((n, i) => (Point: n, At: i, Weight: VectorMath.Cosine(vectors[0], vectors[i + 1]))).ToList();
        var best = scored.Max(s => s.Weight);
        return scored.Where(s => s.Weight >= best - settings.ReferenceGap)
            .OrderByDescending(s => s.Weight).Take(settings.MaxKeyPoints)
            .OrderBy(s => s.Point.Passage).ThenBy(s => s.Point.StartLine)
            .Select(s => (s.Point, s.At, Math.Max(s.Weight, MinWeight))).ToList();
    }

    /// <summary>The least weight a key point of the reference carries: one barely related to the question still counts.</summary>
    private const double MinWeight = 0.05;

    private GradedAnswer Graded(string question, List<(KeyPoint Point, double Weight, GradedKeyPoint Grade)> points)
    {
        var total = points.Sum(p => p.Weight);
        var earned = points.Sum(p => p.Weight * (p.Grade.Contradiction is null ? p.Grade.Coverage : -settings.ContradictionPenalty));
        var score = Math.Round(Math.Clamp(earned / total, 0, 1), 3);
        var verdict = score >= settings.Pass ? GradeVerdict.Pass : score >= settings.Partial ? GradeVerdict.Partial : GradeVerdict.Fail;
        bool IsCovered(GradedKeyPoint g) => g.Contradiction is null && g.Coverage >= settings.CoveredAt;
        var covered = points.Select(p => p.Grade).Where(IsCovered).ToList();
        var missed = points.Select(p => p.Grade).Where(g => !IsCovered(g)).ToList();
        return new GradedAnswer(question, score, verdict, covered, missed, Citations(points.Select(p => p.Point)));
    }

    /// <summary>One citation per passage the reference comes from, narrowed to the lines of its key points, numbered in
    /// passage order.</summary>
    private static List<Citation> Citations(IEnumerable<KeyPoint> points) =>
        points.GroupBy(p => p.Passage).OrderBy(g => g.Key)
            .Select((g, i) => new Citation(i + 1, g.First().File, g.Min(p => p.StartLine), g.Max(p => p.EndLine), g.First().HeadingPath, g.First().ChunkId))
            .ToList();
}
