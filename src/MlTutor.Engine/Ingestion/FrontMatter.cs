using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>YAML front matter (between <c>---</c> lines at the top of a note): not content, but it names the document.</summary>
internal static partial class FrontMatter
{
    [GeneratedRegex(@"^title\s*:\s*(?<v>.*?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TitleRegex();

    /// <summary>The <c>title:</c> value among the given front matter lines (quotes removed), or null.</summary>
    public static string? Title(IEnumerable<string> frontMatterLines)
    {
        foreach (var line in frontMatterLines)
        {
            var m = TitleRegex().Match(line);
            if (!m.Success) continue;
            var v = m.Groups["v"].Value;
            if (v.Length >= 2 && (v[0] == '"' && v[^1] == '"' || v[0] == '\'' && v[^1] == '\''))
                v = v[1..^1];
            v = HeadingText.Clean(v);
            return v.Length > 0 ? v : null;
        }
        return null;
    }
}
