using MlTutor.Answering;
using MlTutor.Embedding;
using MlTutor.Ingestion;

namespace MlTutor.Tutoring;

/// <summary>
/// Grades a spoken answer against the notes offline. The reference is the key points a model answer from the notes
/// quotes (<see cref="ReferenceKeyPoints"/>), or a question-bank item's own (<see cref="Ingestion.BankQuestion.KeyPoints"/>);
/// each is judged by how much of it the answer expresses: the best cosine of
/// the point with a sentence of the answer or two sentences in a row (for a list quoted whole, the mean of its items',
/// each of which one clause of a sentence may also say), mixed with the share of the point's exact terms the answer
/// uses. A point the answer reverses (<see cref="ReversedRelations"/>) or says the opposite of (<see cref="OpposedTerms"/>)
/// counts against the answer. The score is the points' mean, and the verdict comes from the configured thresholds.
/// </summary>
public sealed class AnswerGrader(Func<IReadOnlyList<string>, float[][]> embed, TutorSettings.GradingSettings settings)
{
    public GradedAnswer Grade(string question, string answer, ReferencePoints notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var reference = notes.Reference;
        if (reference.Count == 0) return new GradedAnswer(question, 0, GradeVerdict.Fail, [], [], [], NotCovered: true);
        if (string.IsNullOrWhiteSpace(answer))
            return Graded(question, reference.Select(r => new GradedKeyPoint(r, 0, null)).ToList());

        var sentences = SpokenClauses.Sentences(answer);
        var spans = sentences.Concat(sentences.Zip(sentences.Skip(1), (a, b) => a + " " + b)).ToList();
        var sentenceClauses = sentences.Select(SpokenClauses.Clauses).ToList();
        // One spoken sentence often runs several of a list's items together: an item may be said by one clause of it.
        var runTogether = sentenceClauses.Where(c => c.Count > 1).SelectMany(c => c).ToList();
        var all = notes.All.ToList();
        var items = reference.SelectMany(r => r.Items).ToList();
        var vectors = embed([.. all.Select(n => n.Text), .. items, .. spans, .. runTogether]);
        var (noteVectors, itemVectors, spanVectors, clauseVectors) = (vectors[..all.Count], vectors[all.Count..][..items.Count],
            vectors[(all.Count + items.Count)..][..spans.Count], vectors[^runTogether.Count..]);
        double Coverage(double similarity) =>
            Math.Clamp((similarity - settings.NoSimilarity) / (settings.FullSimilarity - settings.NoSimilarity), 0, 1);
        double Expressed(float[] claim) => Coverage(spanVectors.Max(s => VectorMath.Cosine(claim, s)));
        double ItemExpressed(float[] item) => Coverage(spanVectors.Concat(clauseVectors).Max(s => VectorMath.Cosine(item, s)));

        var answerTerms = new TermWords(answer);
        var clauses = sentenceClauses.SelectMany(c => c).Select(c => (c, new TermWords(c))).ToList();
        var noteTerms = all.Select(n => new TermWords(n.Text)).ToList();
        var reversals = new ReversedRelations(embed, settings.SiblingSimilarity, settings.SwapSimilarity, noteTerms, noteVectors);

        var graded = new List<GradedKeyPoint>();
        var firstItem = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            var point = reference[i];
            var at = all.IndexOf(point);
            // A list makes a claim per item: the answer expresses the list as far as it expresses each item.
            var coverage = point.Items.Count == 0 ? Expressed(noteVectors[at])
                : itemVectors[firstItem..(firstItem + point.Items.Count)].Average(ItemExpressed);
            firstItem += point.Items.Count;
            var pointTerms = noteTerms[at];
            var terms = pointTerms.Count == 0 ? coverage : pointTerms.Terms.Count(answerTerms.Contains) / (double)pointTerms.Count;
            coverage = (1 - settings.TermWeight) * coverage + settings.TermWeight * terms;
            graded.Add(new GradedKeyPoint(point, coverage, reversals.Against(at, clauses) ?? Opposed(point.Text, noteVectors[at], sentences, spanVectors)));
        }
        return Graded(question, graded);
    }

    /// <summary>A sentence of the answer about the point (close to it in meaning) that says the opposite of one of its
    /// words (<see cref="OpposedTerms"/>), or null.</summary>
    private Contradiction? Opposed(string point, float[] pointVector, IReadOnlyList<string> sentences, float[][] sentenceVectors)
    {
        for (var i = 0; i < sentences.Count; i++)
            if (VectorMath.Cosine(pointVector, sentenceVectors[i]) >= settings.OppositionSimilarity
                && OpposedTerms.Opposed(point, sentences[i]) is var (notesSay, said))
                return new Contradiction(sentences[i], said, notesSay);
        return null;
    }

    private GradedAnswer Graded(string question, List<GradedKeyPoint> points)
    {
        var earned = points.Sum(p => p.Contradiction is null ? p.Coverage : -settings.ContradictionPenalty);
        var score = Math.Round(Math.Clamp(earned / points.Count, 0, 1), 3);
        var verdict = score >= settings.Pass ? GradeVerdict.Pass : score >= settings.Partial ? GradeVerdict.Partial : GradeVerdict.Fail;
        bool IsCovered(GradedKeyPoint g) => g.Contradiction is null && g.Coverage >= settings.CoveredAt;
        return new GradedAnswer(question, score, verdict, points.Where(IsCovered).ToList(), points.Where(g => !IsCovered(g)).ToList(),
            Citations(points.Select(p => p.Point))) { KeyPoints = points };
    }

    /// <summary>One citation per passage the reference comes from, narrowed to the lines of its key points, numbered in
    /// passage order.</summary>
    private static List<Citation> Citations(IEnumerable<KeyPoint> points) =>
        points.GroupBy(p => p.Passage).OrderBy(g => g.Key)
            .Select((g, i) => new Citation(i + 1, g.First().File, g.Min(p => p.StartLine), g.Max(p => p.EndLine), g.First().HeadingPath, g.First().ChunkId))
            .ToList();
}
