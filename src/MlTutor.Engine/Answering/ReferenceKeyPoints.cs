using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// The key points of retrieved passages: the units an extractive answer may quote (<see cref="QuotableUnits"/>), each
/// once. A unit that only repeats pieces of a larger one (an item also quoted with its lead-in, the items of a short
/// list) gives way to the larger one, which says what the pieces mean together. The reference is the units the offline
/// answer would quote for the question (<see cref="QuoteSelection"/>), with a larger budget and every unit scoring close
/// to the best one: what a full answer says, not only the few best units an answer to read keeps to.
/// </summary>
public static class ReferenceKeyPoints
{
    /// <param name="embed">The sentence embedder that ranks units against the question.</param>
    /// <param name="characterBudget">Roughly how many characters of the notes the reference holds.</param>
    /// <param name="maxKeyPoints">The most key points in the reference.</param>
    public static ReferencePoints Of(RetrievedContext context, Func<IReadOnlyList<string>, float[][]> embed, int characterBudget, int maxKeyPoints)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Passages.Count == 0) return new ReferencePoints([], []);
        var distinct = DistinctUnits(context);
        var chosen = new QuoteSelection(new SentenceEmbedder(embed), characterBudget).Choose(context.StandaloneQuestion, distinct, maxKeyPoints,
            closeUnits: maxKeyPoints);
        var all = distinct.OrderBy(u => u.Passage).ThenBy(u => u.Order).ToList();
        var points = all.ToDictionary(u => u, u => KeyPointOf(context, u));
        return new ReferencePoints(all.Select(u => points[u]).ToList(),
            all.Where(u => chosen.Any(c => ReferenceEquals(c, u))).Select(u => points[u]).ToList());
    }

    /// <summary>
    /// The key points of the passages with, as the reference, those that lie on lines <paramref name="startLine"/> to
    /// <paramref name="endLine"/> of <paramref name="file"/> (a question-bank item's lines, its own question left out):
    /// the claims the notes give as that item's answer. Null when the passages hold none of those lines.
    /// </summary>
    public static ReferencePoints? OfLines(RetrievedContext context, string question, string file, int startLine, int endLine, int maxKeyPoints)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Passages.Count == 0) return null;
        var all = DistinctUnits(context).OrderBy(u => u.Passage).ThenBy(u => u.Order).Select(u => KeyPointOf(context, u)).ToList();
        var own = all.Where(p => p.File == file && p.StartLine >= startLine && p.EndLine <= endLine
            && !string.Equals(p.Text.Trim(), question.Trim(), StringComparison.OrdinalIgnoreCase)).Take(maxKeyPoints).ToList();
        return own.Count == 0 ? null : new ReferencePoints(all, own);
    }

    /// <summary>The passages' quotable units, less those that only repeat pieces of a larger one. A sentence that points
    /// back ("It also…") does not take in the one it points to: that one is a claim of its own, and the sentence pointing
    /// back adds another.</summary>
    private static List<QuoteCandidate> DistinctUnits(RetrievedContext context)
    {
        var units = QuotableUnits.Of(PassagePieces.Of(context));
        var pieceSets = units.Select(u => u.Pieces.Select(p => p.Key).ToHashSet()).ToList();
        var claimSets = units.Select(u => Claimed(u).Select(p => p.Key).ToHashSet()).ToList();
        return units.Where((_, i) => !Enumerable.Range(0, units.Count).Any(j => j != i
            && pieceSets[i].IsSubsetOf(claimSets[j]) && (claimSets[j].Count > pieceSets[i].Count || j < i))).ToList();
    }

    /// <summary>The pieces whose claim the unit states: all of them, but the sentence it points back to.</summary>
    private static IEnumerable<QuoteCandidate> Claimed(QuoteCandidate unit) =>
        unit.Pieces.Where(p => !unit.LeansOnCompanion || !ReferenceEquals(p, unit.Companion));

    private static KeyPoint KeyPointOf(RetrievedContext context, QuoteCandidate unit)
    {
        var chunk = context.Passages[unit.Passage].Chunk;
        var pieces = Claimed(unit).ToList();
        return new KeyPoint(unit.UnitText, unit.Sentence.Context, chunk.File,
            chunk.StartLine + pieces.Min(p => p.Sentence.FirstLine), chunk.StartLine + pieces.Max(p => p.Sentence.LastLine),
            unit.Passage, chunk.HeadingPath, chunk.Id) { Items = ItemsOf(context, unit) };
    }

    /// <summary>
    /// The items of a list unit, each read with what it stands under: the unit's label (or, without one, the heading above
    /// it unless that is a question), and the items ending in ':' that lead in to deeper items ("1. Vanishing gradients:"
    /// over "- Solutions:" over "* ReLU activation"), which are no claims of their own. A lead-in governs the items after
    /// it until one stands above its level, or at its level once deeper ones have followed it (a flat list pasted under
    /// "Pros:" stays under it; a sibling after a nested list does not).
    /// </summary>
    private static List<string> ItemsOf(RetrievedContext context, QuoteCandidate unit)
    {
        if (unit.Members.Count == 0) return [];
        var lines = context.Passages[unit.Passage].Chunk.Text.Split('\n');
        var label = unit.Label?.Sentence.Text ?? (unit.HeadingAbove?.Sentence.Text is { } h && !h.TrimEnd().EndsWith('?') ? h : null);
        var leadIns = new List<LeadIn>();
        var items = new List<string>();
        foreach (var member in unit.Members.Prepend(unit))
        {
            var level = ListLevel.Of(member.Sentence.FirstLine < lines.Length ? lines[member.Sentence.FirstLine] : "");
            var text = member.Sentence.Text.Trim();
            var isLeadIn = text.EndsWith(':');
            leadIns.RemoveAll(l => l.Level.CompareTo(level) > 0 || (l.Level.CompareTo(level) == 0 && (isLeadIn || l.HasDeeper)));
            foreach (var l in leadIns) l.HasDeeper |= l.Level.CompareTo(level) < 0;
            if (isLeadIn) leadIns.Add(new LeadIn(level, text));
            else items.Add(string.Join(" ", new[] { label }.Concat(leadIns.Select(l => l.Text)).Append(text).OfType<string>()));
        }
        return items.Count > 1 ? items : [];
    }

    private sealed class LeadIn(ListLevel level, string text)
    {
        public ListLevel Level { get; } = level;
        public string Text { get; } = text;
        /// <summary>Items deeper than it have followed it: it heads a nested list.</summary>
        public bool HasDeeper { get; set; }
    }
}
