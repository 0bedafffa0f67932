namespace MlTutor.Answering;

/// <summary>
/// A piece of an answer as it is produced. <see cref="Text"/> is to be shown at once, after the pieces before it; the last
/// update also carries <see cref="Final"/>, the whole answer with its checked citations. Its text is what the pieces
/// added up to (markers naming no passage are never passed on), trimmed.
/// </summary>
public sealed record AnswerUpdate(string Text, Answer? Final = null)
{
    /// <summary>A line to show apart from the answer, at this point of it: why the language model could not answer, before
    /// the offline answer that stands in for it.</summary>
    public string? Notice { get; init; }

    /// <summary>The whole answer a stream of updates ends with, for an answerer whose answer is its stream read to the end.</summary>
    public static async Task<Answer> FinalOf(IAsyncEnumerable<AnswerUpdate> updates)
    {
        Answer? final = null;
        await foreach (var update in updates.ConfigureAwait(false))
            final = update.Final ?? final;
        return final ?? throw new InvalidOperationException("the answer ended without its final update");
    }
}
