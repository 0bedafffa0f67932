namespace MlTutor.Ingestion;

/// <summary>
/// The distinct claims of passages of the notes: the units an answer may quote (<see cref="QuotableUnits"/>), each once,
/// as key points located by their file lines. A unit that only repeats pieces of a larger one (an item also quoted with
/// its lead-in, the items of a short list) gives way to the larger one, which says what the pieces mean together.
/// </summary>
internal static class NoteClaims
{
    /// <summary>The key points of <paramref name="passages"/>, in passage and note order.</summary>
    public static List<KeyPoint> Of(IReadOnlyList<Chunk> passages)
    {
        var units = DistinctUnits(passages);
        return [.. units.OrderBy(u => u.Passage).ThenBy(u => u.Order).Select(u => KeyPointOf(passages, u))];
    }

    /// <summary>The passages' quotable units, less those that only repeat pieces of a larger one. A sentence that points
    /// back ("It also…") does not take in the one it points to: that one is a claim of its own, and the sentence pointing
    /// back adds another.</summary>
    public static List<QuoteCandidate> DistinctUnits(IReadOnlyList<Chunk> passages)
    {
        var units = QuotableUnits.Of(PassagePieces.Of(passages));
        var pieceSets = units.Select(u => u.Pieces.Select(p => p.Key).ToHashSet()).ToList();
        var claimSets = units.Select(u => Claimed(u).Select(p => p.Key).ToHashSet()).ToList();
        return units.Where((_, i) => !Enumerable.Range(0, units.Count).Any(j => j != i
            && pieceSets[i].IsSubsetOf(claimSets[j]) && (claimSets[j].Count > pieceSets[i].Count || j < i))).ToList();
    }

    public static KeyPoint KeyPointOf(IReadOnlyList<Chunk> passages, QuoteCandidate unit)
    {
        var chunk = passages[unit.Passage];
        var pieces = Claimed(unit).ToList();
        return new KeyPoint(unit.UnitText, unit.Sentence.Context, chunk.File,
            chunk.StartLine + pieces.Min(p => p.Sentence.FirstLine), chunk.StartLine + pieces.Max(p => p.Sentence.LastLine),
            unit.Passage, chunk.HeadingPath, chunk.Id) { Items = ItemsOf(chunk, unit) };
    }

    /// <summary>The pieces whose claim the unit states: all of them, but the sentence it points back to.</summary>
    private static IEnumerable<QuoteCandidate> Claimed(QuoteCandidate unit) =>
        unit.Pieces.Where(p => !unit.LeansOnCompanion || !ReferenceEquals(p, unit.Companion));

    /// <summary>
    /// The items of a list unit, each read with what it stands under: the unit's label (or, without one, the heading above
    /// it unless that is a question), and the items ending in ':' that lead in to deeper items ("1. Vanishing gradients:"
    /// over "- Solutions:" over "* ReLU activation"), which are no claims of their own. A lead-in governs the items after
    /// it until one stands above its level, or at its level once deeper ones have followed it (a flat list pasted under
    /// "Pros:" stays under it; a sibling after a nested list does not).
    /// </summary>
    private static List<string> ItemsOf(Chunk chunk, QuoteCandidate unit)
    {
        if (unit.Members.Count == 0) return [];
        var lines = chunk.Text.Split('\n');
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
