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
        // The bank knows each question once, with its lines from its first chunk to its last.
        var questions = QuestionBank.Of(chunks).ToDictionary(q => q.ItemId, StringComparer.Ordinal);
        var asked = new HashSet<string>(StringComparer.Ordinal);
        // A chunk often holds several questions: its claims are read once for all of them.
        var claims = new Dictionary<string, List<KeyPoint>>(StringComparer.Ordinal);
        var attached = new List<Chunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            if (chunk.Structure is not { } structure || !structure.Items.Any(i => questions.ContainsKey(i.Id) && !asked.Contains(i.Id)))
            {
                attached.Add(chunk);
                continue;
            }
            var items = structure.Items.Select(item => questions.TryGetValue(item.Id, out var question) && asked.Add(item.Id)
                ? item with { KeyPoints = Of(chunks, question.StartLine, question.EndLine, question.Question, claims) }
                : item).ToList();
            attached.Add(chunk with { Structure = new ChunkStructure(structure.Blocks, items) });
        }
        return attached;
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
