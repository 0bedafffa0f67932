namespace MlTutor.Ingestion;

/// <summary>
/// How a note is cut into numbered lines, the one rule shared by the reader's messages, the chunker and <c>cite</c>,
/// so that a citation <c>file:N</c> means the same line everywhere. "\r\n", "\n" and a lone "\r" (classic Mac OS) each
/// end a line; a line ending at the very end of the text ends the last line rather than starting an empty one, so the
/// count is what an editor and <c>wc -l</c> show for a file that ends in a newline.
/// </summary>
public static class NoteLines
{
    /// <summary>The lines of <paramref name="text"/> without their line endings; an empty text has no lines.</summary>
    public static string[] Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\n' && c != '\r') continue;
            lines.Add(text[start..i]);
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            start = i + 1;
        }
        if (start < text.Length) lines.Add(text[start..]);
        return [.. lines];
    }

    /// <summary>The 1-based line that character <paramref name="offset"/> of <paramref name="text"/> lies on.</summary>
    public static int LineAt(string text, int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n') line++;
            else if (text[i] == '\r' && !(i + 1 < text.Length && text[i + 1] == '\n')) line++;
        }
        return line;
    }
}
