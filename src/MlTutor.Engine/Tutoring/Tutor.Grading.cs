using MlTutor.Answering;

namespace MlTutor.Tutoring;

/// <summary>Grading: an interview answer judged against the reference the notes give for its question.</summary>
public sealed partial class Tutor
{
    /// <summary>
    /// Grades <paramref name="answer"/> to <paramref name="question"/> offline: the reference is found in the notes as an
    /// interview finds it (the question's passages), and the answer is judged point by point (<see cref="AnswerGrader"/>).
    /// A question the notes do not cover has nothing to grade against: it fails, with no key points.
    /// </summary>
    public GradedAnswer Grade(string question, string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var context = Retrieve(question, new QuestionOptions { K = Settings.Grading.Passages }, Encoder);
        var grading = Settings.Grading;
        Func<IReadOnlyList<string>, float[][]> embed = texts => Encoder.Embed(texts);
        var notes = context.NotCovered ? new ReferencePoints([], [])
            : ReferenceKeyPoints.Of(context, embed, grading.ReferenceChars, grading.MaxKeyPoints);
        return new AnswerGrader(embed, grading).Grade(context.Question, QuestionText.WellFormed(answer), notes);
    }
}
