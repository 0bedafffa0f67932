namespace MlTutor.Ingestion;

/// <summary>
/// The short passages inside a chunk that are embedded besides the whole chunk: each content line together with the
/// line after it (the last line alone). MiniLM was trained on sentence pairs, so a question often matches one bullet or
/// sentence much better than the averaged vector of a whole chunk; the following line gives a short bullet the context
/// it continues into. Scoring a chunk by its best window as well as by itself is "small to embed, larger to show".
/// </summary>
public static class LineWindows
{
    /// <summary>The windows of a chunk's text, in line order. Lines without a letter (rules, "???", bare numbers) are
    /// skipped: alone they match nothing meaningful.</summary>
    public static IReadOnlyList<string> Of(string chunkText)
    {
        ArgumentNullException.ThrowIfNull(chunkText);
        var lines = chunkText.Split('\n').Select(l => l.Trim()).Where(l => l.Any(char.IsLetter)).ToList();
        var windows = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
            windows.Add(i + 1 < lines.Count ? lines[i] + "\n" + lines[i + 1] : lines[i]);
        return windows;
    }
}
