namespace MlTutor.Answering;

/// <summary>
/// The quotable units: each quotable piece, paired with its companion where one is needed. A lead-in
/// ("Closed-form (Normal Equation):") is quoted only with the formula, item or row right after it and is
/// dropped when nothing follows it; a display formula brings the lead-in that introduces it, which says
/// what the symbols are; a sentence that points back ("This is known as the kernel trick.") brings the piece
/// right before it. Lists of short items are units too (<see cref="ShortItemLists"/>).
/// </summary>
internal static class QuotableUnits
{
    /// <summary>Most items of a list quoted as one unit.</summary>
    private const int MaxListItems = 8;

    /// <param name="pieces">The passages' pieces, in passage and note order (<see cref="PassagePieces"/>).</param>
    public static List<QuoteCandidate> Of(List<QuoteCandidate> pieces)
    {
        var units = new List<QuoteCandidate>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var c = pieces[i];
            var next = i + 1 < pieces.Count && pieces[i + 1].Passage == c.Passage ? pieces[i + 1] : null;
            var previous = i > 0 && pieces[i - 1].Passage == c.Passage ? pieces[i - 1] : null;
            if (c.Sentence.IsLeadIn)
            {
                // Another lead-in or a title line after it means what it announced is missing (formulas dropped on export).
                if (next is null || !next.Sentence.IsQuotable || next.Sentence.IsLeadIn || NoteSentenceSplitter.LooksLikeTitle(next.Sentence.Text)
                    || next.Sentence.FirstLine > c.Sentence.LastLine + 2) continue;
                c.Companion = next;
                units.Add(c);
            }
            else if (c.Sentence.IsQuotable)
            {
                if (c.Sentence.Kind == SentenceKind.Formula && previous is { Sentence.IsLeadIn: true }
                    && previous.Sentence.LastLine >= c.Sentence.FirstLine - 2)
                    c.Companion = previous;
                // "This is known as the kernel trick." says what the sentence before it defines: quote them together.
                else if (PointsBackTo(c, previous))
                    (c.Companion, c.LeansOnCompanion) = (previous, true);
                units.Add(c);
            }
        }
        units.AddRange(ShortItemLists(pieces));
        foreach (var u in units)
            u.Window = InPlace(u, pieces);
        return units;
    }

    /// <summary>
    /// Whether <paramref name="c"/> points back at <paramref name="previous"/>: it opens with "This", "It", "These"…,
    /// and the piece right before it in the note (none was dropped as a repeat) is of the same kind, or a formula, on
    /// the same or the previous line. Not after a list, whose referent is the whole list, not its last item; not when
    /// that piece points back itself, since one piece cannot bring the whole chain.
    /// </summary>
    private static bool PointsBackTo(QuoteCandidate c, QuoteCandidate? previous) =>
        c.Sentence.RefersBack && previous is { Sentence: { IsQuotable: true, IsLeadIn: false, RefersBack: false } p }
        && previous.Order == c.Order - 1 && (p.Kind == c.Sentence.Kind || p.Kind == SentenceKind.Formula)
        && p.LastLine >= c.Sentence.FirstLine - 1;

    /// <summary>
    /// Lists of short items ("- Synonym replacement", "- Random swap"), each as one unit with the lead-in that
    /// announces it: alone each item is too thin to quote, together they are the answer to "what are the ways to...".
    /// A list counts when at least half of its items are short.
    /// </summary>
    private static IEnumerable<QuoteCandidate> ShortItemLists(List<QuoteCandidate> pieces)
    {
        for (var i = 0; i < pieces.Count;)
        {
            var j = i;
            while (j < pieces.Count && pieces[j].Passage == pieces[i].Passage
                   && pieces[j].Sentence is { Kind: SentenceKind.ListItem, IsLeadIn: false } item && (item.IsQuotable || item.IsShortItem)
                   && (j == i || item.FirstLine <= pieces[j - 1].Sentence.LastLine + 2))
                j++;
            if (j - i >= 2 && pieces.Skip(i).Take(j - i).Count(p => p.Sentence.IsShortItem) * 2 >= j - i)
            {
                var items = pieces.GetRange(i, Math.Min(j - i, MaxListItems));
                var previous = i > 0 ? pieces[i - 1] : null;
                var leadIn = previous is { Sentence.IsLeadIn: true } && previous.Passage == items[0].Passage
                    && previous.Sentence.LastLine >= items[0].Sentence.FirstLine - 2 ? previous : null;
                yield return new QuoteCandidate(items[0].Passage, items[0].Order, items[0].Sentence) { Companion = leadIn, Members = items[1..] };
            }
            i = Math.Max(j, i + 1);
        }
    }

    /// <summary>The unit's text with the piece before and the piece after it in its passage.</summary>
    private static string InPlace(QuoteCandidate u, List<QuoteCandidate> pieces)
    {
        var at = pieces.FindIndex(p => p.Key == u.Key);
        var first = u.Companion is { } m && m.Order < u.Order && !u.LeansOnCompanion ? at - 1 : at;
        var last = u.Companion is { } n && n.Order > u.Order ? at + 1 : at + u.Members.Count;
        var before = first > 0 && pieces[first - 1].Passage == u.Passage ? pieces[first - 1].Sentence.Text + " " : "";
        var after = last + 1 < pieces.Count && pieces[last + 1].Passage == u.Passage ? " " + pieces[last + 1].Sentence.Text : "";
        return before + u.UnitText + after;
    }
}
