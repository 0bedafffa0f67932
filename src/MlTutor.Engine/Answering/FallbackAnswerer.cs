using System.Runtime.CompilerServices;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// A language model's answer, or, when the model fails before it has shown anything, the offline answer in its place,
/// after one line saying why (<see cref="AnswerUpdate.Notice"/>, <see cref="Answer.FallbackReason"/>): a broken endpoint
/// never leaves the student without an answer from the notes. A written answer that cites nothing, or was stopped for
/// repeating itself, carries the offline answer too (<see cref="Answer.OfflineAnswer"/>). Both answerers stay their
/// owner's to dispose.
/// </summary>
public sealed class FallbackAnswerer(IAnswerer model, IAnswerer offline) : IAnswerer
{
    public Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default) =>
        AnswerUpdate.FinalOf(StreamAsync(context, style, cancellationToken));

    public async IAsyncEnumerable<AnswerUpdate> StreamAsync(RetrievedContext context, AnswerStyle style,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = model.StreamAsync(context, style, cancellationToken).GetAsyncEnumerator(cancellationToken);
        string? failure = null;
        await using (updates.ConfigureAwait(false))
        {
            var shown = false;
            while (failure is null)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) yield break;
                }
                catch (AnswererException e) when (!shown)
                {
                    failure = e.Message;
                    break;
                }
                shown = true;
                if (updates.Current.Final is { NotCovered: false } final && (final.Uncited || final.StoppedRepeating))
                {
                    // Nothing in the written answer can be checked against the notes: the notes' own words follow it.
                    var fromNotes = await offline.AnswerAsync(context, style, cancellationToken).ConfigureAwait(false);
                    yield return updates.Current with { Final = final with { OfflineAnswer = fromNotes } };
                    continue;
                }
                yield return updates.Current;
            }
        }

        yield return new AnswerUpdate("") { Notice = failure };
        await foreach (var update in offline.StreamAsync(context, style, cancellationToken).ConfigureAwait(false))
            yield return update.Final is null ? update : update with { Final = update.Final with { FallbackReason = failure } };
    }
}
