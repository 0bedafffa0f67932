using System.Text;
using MlTutor.Ingestion;

namespace MlTutor.Answering;

/// <summary>
/// An extractive answer as a tutor gives it: the quotes in note order, each with its citation's marker. A list or table
/// quoted in part says where items or rows are left out ("- …"); a heading quoted as the label of what is under it is
/// set in bold; a number in brackets inside a formula is kept from reading as a marker (<see cref="MarkerSafeText"/>).
/// </summary>
internal static class TutorAnswerText
{
    /// <summary>The line that stands for items of a list left out.</summary>
    public const string LeftOut = "- …";

    /// <param name="chosen">The pieces quoted, in passage and note order.</param>
    /// <param name="numbers">The citation number of each quoted passage, by the passage's rank.</param>
    public static string Compose(List<QuoteCandidate> chosen, Dictionary<int, int> numbers)
    {
        var sb = new StringBuilder();
        QuoteCandidate? previous = null;
        foreach (var c in chosen)
        {
            var s = c.Sentence;
            var gap = ListGap(previous, c);
            // Consecutive sentences of one paragraph read as a paragraph, and those of one list item as that item (an item
            // starts a line of its own, so a sentence starting where the one before ends is more of the same item); items
            // and rows stay one per line.
            var continues = previous != null && !gap.Before && previous.Passage == c.Passage && s.Kind == previous.Sentence.Kind
                && (s.Kind == SentenceKind.Prose && s.FirstLine <= previous.Sentence.LastLine + 1
                    || s.Kind == SentenceKind.ListItem && s.FirstLine == previous.Sentence.LastLine);
            if (gap.After) sb.Append('\n').Append(LeftOut);
            if (previous != null) sb.Append(continues ? " " : "\n");
            if (gap.Before) sb.Append(LeftOut).Append('\n');
            sb.Append(MarkerSafeText.Of(continues ? s.Text : Line(c))).Append(" [").Append(numbers[c.Passage]).Append(']');
            previous = c;
        }
        if (ListGap(previous, null).After) sb.Append('\n').Append(LeftOut);
        return sb.ToString();
    }

    /// <summary>A piece as its line shows it: items and rows after a dash, a heading in bold.</summary>
    public static string Line(QuoteCandidate c)
    {
        var s = c.Sentence;
        return s.Kind switch
        {
            SentenceKind.ListItem or SentenceKind.TableRow => "- " + s.Text,
            SentenceKind.Heading => $"**{s.Text}**",
            _ => s.Text,
        };
    }

    /// <summary>Whether items of a list are left out between <paramref name="previous"/> and <paramref name="next"/>:
    /// after the last item quoted of a list (<c>After</c>) or before the first quoted of the next (<c>Before</c>).</summary>
    public static (bool After, bool Before) ListGap(QuoteCandidate? previous, QuoteCandidate? next)
    {
        var (a, b) = (previous?.List, next?.List);
        var sameList = a != null && b != null && previous!.Passage == next!.Passage && a.FirstOrder == b.FirstOrder;
        if (sameList) return (false, b!.Index > a!.Index + 1);
        return (a != null && a.Index < a.Count - 1, b != null && b.Index > 0);
    }
}
