using MlTutor.Answering;

namespace MlTutor.Tutoring;

/// <summary>What an answer earns: pass, partial or fail, from the score and the configured thresholds.</summary>
public enum GradeVerdict
{
    Fail,
    Partial,
    Pass,
}

/// <summary>
/// Where an answer says the opposite of a key point with the key point's own terms: <paramref name="Said"/> stands where the
/// notes have <paramref name="NotesSay"/> ("high bias means overfitting" against "high bias = underfitting").
/// </summary>
/// <param name="Clause">The part of the answer that says it.</param>
public sealed record Contradiction(string Clause, string Said, string NotesSay);

/// <summary>A key point of the reference and how much of it the answer expresses (0..1); a contradicted one counts against.</summary>
public sealed record GradedKeyPoint(KeyPoint Point, double Coverage, Contradiction? Contradiction);

/// <summary>
/// An answer graded against the reference the notes give for its question: a score from 0 to 1 and its verdict, the key
/// points covered and missed (a contradicted one is missed), and the citations of the reference's passages.
/// </summary>
/// <param name="NotCovered">The notes hold nothing to grade against: the question is not covered by them.</param>
public sealed record GradedAnswer(string Question, double Score, GradeVerdict Verdict, IReadOnlyList<GradedKeyPoint> Covered,
    IReadOnlyList<GradedKeyPoint> Missed, IReadOnlyList<Citation> Citations, bool NotCovered = false);
