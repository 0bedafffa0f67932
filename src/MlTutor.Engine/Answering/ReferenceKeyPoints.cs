using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// The key points of retrieved passages: the units an extractive answer may quote (<see cref="QuotableUnits"/>), each
/// once. A unit that only repeats pieces of a larger one (an item also quoted with its lead-in, the items of a short
/// list) gives way to the larger one, which says what the pieces mean together.
/// </summary>
public static class ReferenceKeyPoints
{
    public static IReadOnlyList<KeyPoint> Of(RetrievedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Passages.Count == 0) return [];
        var units = QuotableUnits.Of(PassagePieces.Of(context));
        var pieceSets = units.Select(u => u.Pieces.Select(p => p.Key).ToHashSet()).ToList();
        var keyPoints = new List<KeyPoint>();
        for (var i = 0; i < units.Count; i++)
        {
            var within = Enumerable.Range(0, units.Count).Any(j => j != i
                && pieceSets[i].IsSubsetOf(pieceSets[j]) && (pieceSets[j].Count > pieceSets[i].Count || j < i));
            if (within) continue;
            var unit = units[i];
            var chunk = context.Passages[unit.Passage].Chunk;
            var pieces = unit.Pieces.ToList();
            keyPoints.Add(new KeyPoint(unit.UnitText, chunk.File,
                chunk.StartLine + pieces.Min(p => p.Sentence.FirstLine), chunk.StartLine + pieces.Max(p => p.Sentence.LastLine),
                unit.Passage, chunk.HeadingPath, chunk.Id));
        }
        return keyPoints.OrderBy(k => k.Passage).ThenBy(k => k.StartLine).ToList();
    }
}
