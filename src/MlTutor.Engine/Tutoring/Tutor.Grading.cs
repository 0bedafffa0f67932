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
        var notes = context.NotCovered ? [] : ReferenceKeyPoints.Of(context);
        var answerText = QuestionText.WellFormed(answer);
        return new AnswerGrader(texts => Encoder.Embed(texts), Settings.Grading).Grade(context.Question, answerText, notes);
    }
}
