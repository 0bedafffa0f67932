using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>How the tutor speaks: a direct answer, or as an interviewer who probes and then gives the model answer.</summary>
public enum AnswerStyle { Tutor, Interviewer }

/// <summary>Turns retrieved passages into a cited answer. Implementations: the built-in offline answerer and an OpenAI-compatible chat endpoint.</summary>
public interface IAnswerer
{
    /// <summary>
    /// Answers from <see cref="RetrievedContext.Passages"/> only. Markers [n] in the text refer to
    /// <see cref="Answer.Citations"/> by <see cref="Citation.N"/>. When <see cref="RetrievedContext.NotCovered"/>
    /// is set the answer says the notes do not cover the question and cites nothing.
    /// </summary>
    Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default);
}
