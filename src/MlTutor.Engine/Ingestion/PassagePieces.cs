namespace MlTutor.Ingestion;

/// <summary>Passages of the notes (retrieved ones, or the chunks a question-bank item lies in) cut into the pieces an
/// answer may quote, in passage and note order.</summary>
internal static class PassagePieces
{
    public static List<QuoteCandidate> Of(IReadOnlyList<Chunk> passages)
    {
        var all = new List<QuoteCandidate>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var p = 0; p < passages.Count; p++)
        {
            var chunk = passages[p];
            var lines = chunk.Text.Split('\n');
            var order = 0;
            var lastLine = -1;
            foreach (var s in NoteSentenceSplitter.Split(chunk.Text, LastHeading(chunk.HeadingPath)))
            {
                // Overlapping chunks repeat sentences: quote each once, from the better-ranked passage. The order still
                // counts the repeat, so that two pieces are next to each other in the note exactly when their orders are.
                var at = order++;
                var blankBefore = lastLine >= 0 && Enumerable.Range(lastLine + 1, Math.Max(0, s.FirstLine - lastLine - 1))
                    .All(l => l >= lines.Length || string.IsNullOrWhiteSpace(lines[l]));
                lastLine = Math.Max(lastLine, s.LastLine);
                if (s.IsQuotable && !seen.Add(Squash(s.Text))) continue;
                all.Add(new QuoteCandidate(p, at, s) { OnlyBlankLinesBefore = blankBefore });
            }
        }
        return all;
    }

    private static string? LastHeading(string headingPath)
    {
        if (string.IsNullOrWhiteSpace(headingPath)) return null;
        var parts = headingPath.Split(HeadingText.Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : parts[^1];
    }

    private static string Squash(string s) => Whitespace.Remove(s);
}
