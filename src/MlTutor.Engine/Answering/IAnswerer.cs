using System.Runtime.CompilerServices;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>How the tutor speaks: a direct answer, or as an interviewer who probes and then gives the model answer.</summary>
public enum AnswerStyle { Tutor, Interviewer }

/// <summary>Turns retrieved passages into a cited answer. Implementations: the built-in offline answerer, and a language
/// model behind an IChatClient (<see cref="ChatClientAnswerer"/>), in front of the offline one (<see cref="FallbackAnswerer"/>).</summary>
public interface IAnswerer
{
    /// <summary>
    /// Answers from <see cref="RetrievedContext.Passages"/> only. Markers [n] in the text refer to
    /// <see cref="Answer.Citations"/> by <see cref="Citation.N"/>. When <see cref="RetrievedContext.NotCovered"/>
    /// is set the answer says the notes do not cover the question and cites nothing.
    /// </summary>
    Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same answer as it is produced: text to show at once, then the whole answer (<see cref="AnswerUpdate.Final"/>).
    /// An answerer that has the whole text at once, as the offline one does, yields it in one update.
    /// </summary>
    async IAsyncEnumerable<AnswerUpdate> StreamAsync(RetrievedContext context, AnswerStyle style,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var answer = await AnswerAsync(context, style, cancellationToken);
        yield return new AnswerUpdate(answer.Text, answer);
    }
}
