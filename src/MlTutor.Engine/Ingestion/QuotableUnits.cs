namespace MlTutor.Ingestion;

/// <summary>
/// The quotable units: each quotable piece, with what it needs to stand on its own. A lead-in ("Closed-form (Normal
/// Equation):") is quoted only with the formula or row right after it and is dropped when nothing follows it; a display
/// formula brings the lead-in that introduces it, which says what the symbols are; a sentence that points back ("This is
/// known as the kernel trick.") brings the piece right before it. A list item carries its list's lead-in or heading
/// ("Underfitting", "Xavier initialization:"), and a table row its header row: without them their meaning is lost. A
/// whole list with its lead-in is a unit too.
/// </summary>
internal static class QuotableUnits
{
    /// <summary>Most items of a list quoted as one unit.</summary>
    private const int MaxListItems = 8;

    /// <summary>Most characters of a list quoted as one unit, as many as a short answer holds: the items after are left out
    /// (and the answer says so).</summary>
    public const int MaxListCharacters = 600;

    /// <param name="pieces">The passages' pieces, in passage and note order (<see cref="PassagePieces"/>).</param>
    public static List<QuoteCandidate> Of(List<QuoteCandidate> pieces)
    {
        var lists = ListRuns(pieces);
        MarkFormulasAbove(pieces);
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
                    || next.Sentence.FirstLine > c.Sentence.LastLine + 2 && !(next.OnlyBlankLinesBefore && next.Order == c.Order + 1)) continue;
                // A lead-in of a list of several is the label of each of its items and of the whole list.
                if (lists.TryGetValue(next.Key, out var announced) && announced.Label == c) continue;
                c.Companion = next;
                if (lists.TryGetValue(c.Key, out var own)) c.Label = own.Label;
                units.Add(c);
            }
            else if (c.Sentence.IsQuotable)
            {
                if (c.Sentence.Kind == SentenceKind.Formula && previous is { Sentence.IsLeadIn: true }
                    && (previous.Sentence.LastLine >= c.Sentence.FirstLine - 2 || c.OnlyBlankLinesBefore && previous.Order == c.Order - 1))
                    c.Companion = previous;
                // "This is known as the kernel trick." says what the sentence before it defines: quote them together.
                else if (PointsBackTo(c, previous))
                    (c.Companion, c.LeansOnCompanion) = (previous, true);
                if (lists.TryGetValue(c.Key, out var run))
                    c.Label = run.Label;
                else if (c.Sentence.Kind == SentenceKind.ListItem && TermAbove(pieces, i) is { } term)
                    c.Label = term;
                else if (c.Sentence.Kind == SentenceKind.TableRow)
                    c.Label = HeaderRowOf(pieces, i);
                units.Add(c);
            }
        }
        units.AddRange(WholeLists(lists.Values.Distinct()));
        foreach (var u in units)
        {
            u.Window = InPlace(u, pieces);
            u.HeadingAbove = pieces.LastOrDefault(p => p.Passage == u.Passage && p.Order < u.Order && p.Sentence.Kind == SentenceKind.Heading
                && !ReferenceEquals(p, u.Label));
        }
        return units;
    }

    /// <summary>A run of list items in one passage, and the lead-in or heading right above it.</summary>
    private sealed record ListRun(List<QuoteCandidate> Items, QuoteCandidate? Label);

    /// <summary>
    /// The lists of two or more items, by the key of each of their items; each item learns its place in its list. An
    /// item that is itself a lead-in ("- Update rule:") belongs to the list with the formula it announces. A list ends
    /// at an item standing higher than its first (<see cref="ClimbsOut"/>).
    /// </summary>
    private static Dictionary<(int, int), ListRun> ListRuns(List<QuoteCandidate> pieces)
    {
        var byItem = new Dictionary<(int, int), ListRun>();
        for (var i = 0; i < pieces.Count;)
        {
            var j = i;
            while (j < pieces.Count && pieces[j].Passage == pieces[i].Passage && InList(pieces[j], j == i ? null : pieces[j - 1])
                   && (j == i || pieces[j].Sentence.FirstLine <= pieces[j - 1].Sentence.LastLine + 2 && !ClimbsOut(pieces[j], pieces[i])))
                j++;
            var items = pieces.GetRange(i, j - i);
            if (items.Count(p => p.Sentence.Kind == SentenceKind.ListItem) >= 2)
            {
                var run = new ListRun(items, LabelAbove(pieces, i));
                var ofTerms = items.All(item => item.Sentence.Term is not null);
                for (var k = 0; k < items.Count; k++)
                {
                    items[k].List = new ListPlace(items[0].Order, k, items.Count, ofTerms);
                    byItem[items[k].Key] = run;
                }
            }
            i = Math.Max(j, i + 1);
        }
        return byItem;
    }

    /// <summary>Whether <paramref name="item"/> stands higher than the run's first item (less indented, or numbered where
    /// that is bulleted): a nested list ends there, and the item belongs to the list around it ("* Explain Adam" /
    /// "    * RMSProp + Momentum." / "* How to combat overfitting": the last is the next question, not more about Adam).</summary>
    private static bool ClimbsOut(QuoteCandidate item, QuoteCandidate first) =>
        item.Sentence.Kind == SentenceKind.ListItem && first.Sentence.Kind == SentenceKind.ListItem
        && item.Sentence.Level.CompareTo(first.Sentence.Level) < 0;

    private static bool InList(QuoteCandidate piece, QuoteCandidate? previous) => piece.Sentence switch
    {
        { Kind: SentenceKind.ListItem } s => s.IsQuotable || s.IsShortItem || s.IsLeadIn,
        { Kind: SentenceKind.Formula, IsQuotable: true } => previous is { Sentence.IsLeadIn: true },
        _ => false,
    };

    /// <summary>
    /// Each list item learns the display formula right above its list (<see cref="QuoteCandidate.FormulaAbove"/>). The walk
    /// up passes every item of the list, quotable or not, and stops at more than one empty line, at an item standing
    /// higher or at a lead-in (each heads a list of its own), and at anything that is no list item. A formula right after
    /// a list item belongs to that earlier list.
    /// </summary>
    private static void MarkFormulasAbove(List<QuoteCandidate> pieces)
    {
        bool Adjacent(int upper, int lower) => RightAbove(pieces[upper], pieces[lower]);
        for (var i = 0; i < pieces.Count; i++)
        {
            var item = pieces[i].Sentence;
            if (item.Kind != SentenceKind.ListItem) continue;
            var top = i;
            while (top > 0 && Adjacent(top - 1, top) && pieces[top - 1].Sentence is { Kind: SentenceKind.ListItem, IsLeadIn: false } above
                   && above.Level.CompareTo(item.Level) >= 0)
                top--;
            if (top > 0 && Adjacent(top - 1, top) && pieces[top - 1].Sentence.Kind == SentenceKind.Formula
                && !(top > 1 && Adjacent(top - 2, top - 1) && pieces[top - 2].Sentence.Kind == SentenceKind.ListItem))
                pieces[i].FormulaAbove = pieces[top - 1];
        }
    }

    /// <summary>The lead-in, heading or paragraph naming a term right above the piece at <paramref name="at"/> in its
    /// passage, if any.</summary>
    private static QuoteCandidate? LabelAbove(List<QuoteCandidate> pieces, int at)
    {
        if (at == 0 || pieces[at - 1].Passage != pieces[at].Passage) return null;
        var above = pieces[at - 1];
        return (above.Sentence.IsLeadIn || above.Sentence.Kind == SentenceKind.Heading) && RightAbove(above, pieces[at])
            ? above : TermAbove(pieces, at);
    }

    /// <summary>The paragraph naming a term right above the list the piece at <paramref name="at"/> opens, past the
    /// list's items that are questions ("- Of all the cases flagged, how many were right?"), if any.</summary>
    private static QuoteCandidate? TermAbove(List<QuoteCandidate> pieces, int at)
    {
        var k = at;
        while (k > 0 && pieces[k - 1].Sentence.Kind == SentenceKind.Question && RightAbove(pieces[k - 1], pieces[k], emptyLines: 0))
            k--;
        return k > 0 && pieces[k - 1].Sentence.NamesTerm && RightAbove(pieces[k - 1], pieces[k]) ? pieces[k - 1] : null;
    }

    /// <summary>Whether <paramref name="upper"/> stands right above <paramref name="lower"/> in the same passage, with at
    /// most <paramref name="emptyLines"/> empty lines between them.</summary>
    private static bool RightAbove(QuoteCandidate upper, QuoteCandidate lower, int emptyLines = 1) =>
        upper.Passage == lower.Passage && upper.Sentence.LastLine >= lower.Sentence.FirstLine - 1 - emptyLines;

    /// <summary>The header row of the table the row at <paramref name="at"/> is in: its first row, when that is not the row itself.</summary>
    private static QuoteCandidate? HeaderRowOf(List<QuoteCandidate> pieces, int at)
    {
        for (var k = at - 1; k >= 0 && pieces[k].Sentence.Kind == SentenceKind.TableRow && RightAbove(pieces[k], pieces[k + 1]); k--)
            if (pieces[k].Sentence.IsHeaderRow) return pieces[k];
        return null;
    }

    /// <summary>
    /// Each list as one unit with its lead-in: alone a short item ("Random swap") is too thin to quote, and together the
    /// items answer "what are the ways to…". A long list is cut after the items that fit, and the answer marks the cut.
    /// </summary>
    private static IEnumerable<QuoteCandidate> WholeLists(IEnumerable<ListRun> runs)
    {
        foreach (var run in runs)
        {
            var items = new List<QuoteCandidate>();
            var length = run.Label?.Sentence.Text.Length ?? 0;
            foreach (var item in run.Items)
            {
                if (items.Count == MaxListItems || items.Count > 0 && length + item.Sentence.Text.Length > MaxListCharacters) break;
                items.Add(item);
                length += item.Sentence.Text.Length;
            }
            if (items.Count < 2) continue;
            yield return new QuoteCandidate(items[0].Passage, items[0].Order, items[0].Sentence)
            {
                Label = run.Label, Members = items[1..], List = items[0].List, FormulaAbove = items[0].FormulaAbove,
            };
        }
    }

    /// <summary>
    /// Each paragraph of two sentences or more as one unit besides its sentences, for an answer to quote whole: the notes
    /// say a thing in a paragraph, and its later sentences ("Problem: exposure bias…" after a flashcard's definition) are
    /// often what a question's second part asks for. Not a claim of its own: a grade weighs the sentences. A paragraph
    /// is a run of sentences on adjacent lines under one heading; a title-like line ("Adam + Weight Decay (Decoupled)" in
    /// a plain-text note) starts the next entry, not more of this one. A long paragraph is cut after the sentences that fit.
    /// </summary>
    /// <param name="units">The units of <see cref="Of"/>, in passage and note order.</param>
    public static IEnumerable<QuoteCandidate> WholeParagraphs(List<QuoteCandidate> units)
    {
        var sentences = units.Where(u => u.Members.Count == 0 && u.Label is null && u.Sentence.Kind == SentenceKind.Prose
            && !NoteSentenceSplitter.LooksLikeTitle(u.Sentence.Text)).ToList();
        for (var i = 0; i < sentences.Count;)
        {
            var first = sentences[i];
            // A sentence that leans on a piece before it (a formula, "This is…") opens no paragraph of its own.
            if (first.Companion is not null)
            {
                i++;
                continue;
            }
            var length = first.Sentence.Text.Length;
            var j = i + 1;
            while (j < sentences.Count && ContinuesParagraph(sentences[j], sentences[j - 1], first)
                   && length + sentences[j].Sentence.Text.Length <= MaxListCharacters)
                length += sentences[j++].Sentence.Text.Length;
            if (j - i >= 2)
                yield return new QuoteCandidate(first.Passage, first.Order, first.Sentence)
                {
                    Members = sentences.GetRange(i + 1, j - i - 1), HeadingAbove = first.HeadingAbove,
                };
            i = j;
        }
    }

    /// <summary>
    /// Each table of two rows or more under one header as one unit besides its rows, with the header as its label, for an
    /// answer to quote whole: a table the notes wrote as the answer ("Traditional Programming | Machine Learning", then
    /// what goes in and what comes out of each) says together what one row says only in part. Each row learns its place
    /// in the table, as an item does in its list, so that an answer quoting some rows marks the others left out. A long
    /// table is cut after the rows that fit.
    /// </summary>
    /// <param name="units">The units of <see cref="Of"/>, in passage and note order.</param>
    public static IEnumerable<QuoteCandidate> WholeTables(List<QuoteCandidate> units)
    {
        var rows = units.Where(u => u.Members.Count == 0 && u.Sentence.Kind == SentenceKind.TableRow
            && u.Label is { Sentence.IsHeaderRow: true }).ToList();
        for (var i = 0; i < rows.Count;)
        {
            var j = i + 1;
            while (j < rows.Count && rows[j].Passage == rows[i].Passage && ReferenceEquals(rows[j].Label, rows[i].Label)
                   && rows[j].Sentence.FirstLine <= rows[j - 1].Sentence.LastLine + 2)
                j++;
            var table = rows.GetRange(i, j - i);
            i = j;
            if (table.Count < 2) continue;
            for (var k = 0; k < table.Count; k++)
                table[k].List = new ListPlace(table[0].Order, k, table.Count);
            // Cut and labelled as a list is, under the header row.
            foreach (var whole in WholeLists([new ListRun(table, table[0].Label)]))
            {
                whole.HeadingAbove = table[0].HeadingAbove;
                yield return whole;
            }
        }
    }

    /// <summary>Whether <paramref name="next"/> goes on the paragraph that <paramref name="first"/> opens and
    /// <paramref name="last"/> has reached: it follows the last in the note, on the next line at the latest, under the
    /// same heading, and leans on no piece but that last sentence.</summary>
    private static bool ContinuesParagraph(QuoteCandidate next, QuoteCandidate last, QuoteCandidate first) =>
        next.Passage == first.Passage && next.Order == last.Order + 1 && next.Sentence.Context == first.Sentence.Context
        && next.Sentence.FirstLine <= last.Sentence.LastLine + 1
        && (next.Companion is null || next.LeansOnCompanion && ReferenceEquals(next.Companion, last));

    /// <summary>
    /// Whether <paramref name="c"/> points back at <paramref name="previous"/>: it opens with "This", "It", "These"…,
    /// and the piece right before it in the note (none was dropped as a repeat) is of the same kind, or a formula, on
    /// the same or the previous line (a display formula also across the blank lines that set it off: "$$L = …$$", then
    /// "This is a simple MSE loss…"). Not after a list, whose referent is the whole list, not its last item; not when
    /// that piece points back itself, since one piece cannot bring the whole chain.
    /// </summary>
    private static bool PointsBackTo(QuoteCandidate c, QuoteCandidate? previous) =>
        c.Sentence.RefersBack && previous is { Sentence: { IsQuotable: true, IsLeadIn: false, RefersBack: false } p }
        && previous.Order == c.Order - 1 && (p.Kind == c.Sentence.Kind || p.Kind == SentenceKind.Formula)
        && (p.LastLine >= c.Sentence.FirstLine - 1 || p.Kind == SentenceKind.Formula && c.OnlyBlankLinesBefore);

    /// <summary>The unit's text with the piece before and the piece after it in its passage.</summary>
    private static string InPlace(QuoteCandidate u, List<QuoteCandidate> pieces)
    {
        var at = pieces.FindIndex(p => p.Key == u.Key);
        var first = u.Label is not null ? at : u.Companion is { } m && m.Order < u.Order && !u.LeansOnCompanion ? at - 1 : at;
        var last = u.Companion is { } n && n.Order > u.Order ? at + 1 : at + u.Members.Count;
        var before = u.Label is null && first > 0 && pieces[first - 1].Passage == u.Passage ? pieces[first - 1].Sentence.Text + " " : "";
        var after = last + 1 < pieces.Count && pieces[last + 1].Passage == u.Passage ? " " + pieces[last + 1].Sentence.Text : "";
        return before + u.UnitText + after;
    }
}
