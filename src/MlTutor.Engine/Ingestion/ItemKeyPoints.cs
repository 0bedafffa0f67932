namespace MlTutor.Ingestion;

/// <summary>
/// Gives each question of a note (<see cref="QuestionBank"/>) the key points of its answer when the note is chunked: the
/// distinct claims (<see cref="NoteClaims"/>) of the chunks it lies in that stand on its own lines, its question left
/// out. An interview grades an answer against them; they are stored with the item, so that grading reads them rather
/// than cutting the notes again.
/// </summary>
internal static class ItemKeyPoints
{
    /// <param name="chunks">The chunks of one note, in line order.</param>
    /// <returns>The chunks with each question's key points on its item in the first chunk that holds it.</returns>
    public static IReadOnlyList<Chunk> Attach(IReadOnlyList<Chunk> chunks)
    {
        var spans = Spans(chunks);
        var asked = new HashSet<string>(StringComparer.Ordinal);
        // A chunk often holds several questions: its claims are read once for all of them.
        var claims = new Dictionary<string, List<KeyPoint>>(StringComparer.Ordinal);
        var attached = new List<Chunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (chunk.Structure is not { } structure || !structure.Items.Any(i => spans.ContainsKey(i.Id) && !asked.Contains(i.Id)))
            {
                attached.Add(chunk);
                continue;
            }
            var items = structure.Items.Select(item => spans.TryGetValue(item.Id, out var span) && asked.Add(item.Id)
                ? item with { KeyPoints = Of(chunks, span.Start, span.End, span.Question, claims) }
                : item).ToList();
            attached.Add(chunk with { Structure = new ChunkStructure(structure.Blocks, items) });
        }
        return attached;
    }

    /// <summary>Each question's lines in the note, from its first chunk's to its last's: an answer may be cut into several.</summary>
    private static Dictionary<string, (int Start, int End, string Question)> Spans(IReadOnlyList<Chunk> chunks)
    {
        var spans = new Dictionary<string, (int Start, int End, string Question)>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
            foreach (var item in chunk.Structure?.Items ?? [])
            {
                if (spans.TryGetValue(item.Id, out var span))
                    spans[item.Id] = span with { End = Math.Max(span.End, chunk.StartLine + item.LastLine) };
                else if (QuestionBank.QuestionOf(item) is { Length: > 0 } question)
                    spans[item.Id] = (chunk.StartLine + item.FirstLine, chunk.StartLine + item.LastLine, question);
            }
        return spans;
    }

    /// <summary>The claims on lines <paramref name="startLine"/> to <paramref name="endLine"/> of the note, read in the
    /// chunks that hold them.</summary>
    private static List<ItemKeyPoint> Of(IReadOnlyList<Chunk> chunks, int startLine, int endLine, string question,
        Dictionary<string, List<KeyPoint>> claims)
    {
        var holding = chunks.Where(c => c.StartLine <= endLine && c.EndLine >= startLine).ToList();
        var key = string.Join(" ", holding.Select(c => c.Id));
        if (!claims.TryGetValue(key, out var all)) claims[key] = all = NoteClaims.Of(holding);
        return [.. all.Where(p => p.StartLine >= startLine && p.EndLine <= endLine
                && !string.Equals(p.Text.Trim(), question.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(p => new ItemKeyPoint(p.Text, p.Context, p.StartLine, p.EndLine, p.Items))];
    }
}
