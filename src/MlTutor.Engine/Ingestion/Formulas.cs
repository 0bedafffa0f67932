namespace MlTutor.Ingestion;

/// <summary>Finds where TeX formulas (<c>$...$</c>, <c>$$...$$</c>, <c>\[...\]</c>, <c>\(...\)</c>) stay open across a line break.</summary>
internal static class Formulas
{
    /// <summary>Lines in start..end-1 (1-based) after which a formula opened in the block is still open.</summary>
    public static IEnumerable<int> OpenAfter(IReadOnlyList<string> fileLines, int start, int end)
    {
        var display = false;  // $$ ... $$
        var inline = false;   // $ ... $
        var bracket = false;  // \[ ... \] or \( ... \)
        for (var line = start; line <= end; line++)
        {
            var s = fileLines[line - 1];
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '\\' && i + 1 < s.Length)
                {
                    var n = s[i + 1];
                    if (n is '[' or '(' && !display && !inline) bracket = true;
                    else if (n is ']' or ')') bracket = false;
                    i++; // an escaped character (\$ included) is never a delimiter
                    continue;
                }
                if (c != '$' || bracket) continue;
                if (i + 1 < s.Length && s[i + 1] == '$')
                {
                    display = !display;
                    inline = false;
                    i++;
                }
                else if (!display)
                {
                    inline = !inline;
                }
            }
            if (line < end && (display || inline || bracket))
                yield return line;
        }
    }
}
