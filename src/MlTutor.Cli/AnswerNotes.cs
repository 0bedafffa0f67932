using MlTutor.Answering;

namespace MlTutor.Cli;

/// <summary>
/// What happened to an answer on its way, told on stderr so that the answer's text and --json on stdout stay as they are:
/// why the language model gave none (before the offline answer that stands in), that it was cut, which citation markers
/// were removed, that it cites nothing.
/// </summary>
public static class AnswerNotes
{
    /// <summary>A streamed update's notice, at its place in the answer.</summary>
    public static void Notice(AnswerUpdate update)
    {
        if (update.Notice is { } notice) WriteFallback(notice);
    }

    /// <summary>The notes of an answer that was shown as it came (its fallback notice, if any, was shown on the way).</summary>
    public static void After(Answer answer)
    {
        if (answer.CutReason is { } cut) Console.Error.WriteLine($"mltutor: the answer was cut: {cut}");
        if (answer.DroppedMarkers.Count > 0)
        {
            var markers = string.Join(", ", answer.DroppedMarkers.Select(n => $"[{n}]"));
            Console.Error.WriteLine(answer.DroppedMarkers.Count == 1
                ? $"mltutor: removed the citation {markers}: it named no passage the model was given"
                : $"mltutor: removed the citations {markers}: they named no passage the model was given");
        }
        if (answer.StoppedRepeating) Console.Error.WriteLine("mltutor: the language model started repeating itself and was stopped there");
        if (answer.Uncited) Console.Error.WriteLine("mltutor: this answer cites no passage of your notes: check it against them before you rely on it");
    }

    /// <summary>All the notes of an answer given whole (--json, --batch).</summary>
    public static void Whole(Answer answer)
    {
        if (answer.FallbackReason is { } reason) WriteFallback(reason);
        After(answer);
    }

    private static void WriteFallback(string reason) =>
        Console.Error.WriteLine($"mltutor: {reason}; answering offline from the notes instead");
}
