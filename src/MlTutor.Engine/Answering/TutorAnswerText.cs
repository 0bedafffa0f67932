using System.Text;

namespace MlTutor.Answering;

/// <summary>An extractive answer as a tutor gives it: the quotes in note order, each with its citation's marker.</summary>
internal static class TutorAnswerText
{
    /// <param name="numbers">The citation number of each quoted passage, by the passage's rank.</param>
    public static string Compose(List<QuoteCandidate> chosen, Dictionary<int, int> numbers)
    {
        var sb = new StringBuilder();
        QuoteCandidate? previous = null;
        foreach (var c in chosen)
        {
            var s = c.Sentence;
            // Consecutive sentences of one paragraph read as a paragraph; list items and rows stay one per line.
            var sameParagraph = previous != null && previous.Passage == c.Passage
                && s.Kind == SentenceKind.Prose && previous.Sentence.Kind == SentenceKind.Prose
                && s.FirstLine <= previous.Sentence.LastLine + 1;
            if (previous != null) sb.Append(sameParagraph ? " " : "\n");
            if (s.Kind is SentenceKind.ListItem or SentenceKind.TableRow) sb.Append("- ");
            sb.Append(s.Text).Append(" [").Append(numbers[c.Passage]).Append(']');
            previous = c;
        }
        return sb.ToString();
    }
}
