using MlTutor.Answering;
using MlTutor.Ingestion;

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
    IReadOnlyList<GradedKeyPoint> Missed, IReadOnlyList<Citation> Citations, bool NotCovered = false)
{
    /// <summary>The reference's key points in the order the notes give them, covered or not.</summary>
    public IReadOnlyList<GradedKeyPoint> KeyPoints { get; init; } = [];

    /// <summary>A language model's grade against the same key points, when one was asked (<see cref="Tutor.GradeAsync"/>);
    /// the score and verdict above stay the offline grader's.</summary>
    public ModelFeedback? ByModel { get; init; }

    /// <summary>Why the language model asked to grade gave no grade (it could not be reached, was too slow…), in one line.</summary>
    public string? ModelError { get; init; }
}

/// <summary>
/// A language model's grade of an answer against the key points of the notes, as an interviewer with a rubric gives it:
/// its score (0..1, null when its reply gave none that could be read), the key points it found covered and missed, and
/// its feedback to the candidate.
/// </summary>
/// <param name="Provider">Which provider's model graded: openai or local.</param>
public sealed record ModelFeedback(string Provider, double? Score, IReadOnlyList<KeyPoint> Covered, IReadOnlyList<KeyPoint> Missed, string Feedback)
{
    /// <summary>Whether the model's reply kept to the rubric's format (a score at least); when not, its text is the feedback.</summary>
    public bool Readable => Score is not null;
}
