using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MlTutor.Ingestion;

/// <summary>Turns a heading into the plain words that go into a heading path.</summary>
internal static partial class HeadingText
{
    public const string Separator = " › ";

    [GeneratedRegex(@"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`)")]
    private static partial Regex EmphasisMarks();

    /// <summary>The heading's text without emphasis, links or code marks.</summary>
    public static string FromInline(ContainerInline? inline)
    {
        if (inline is null) return "";
        var sb = new StringBuilder();
        Append(inline, sb);
        return Clean(sb.ToString());
    }

    private static void Append(Inline inline, StringBuilder sb)
    {
        switch (inline)
        {
            case LiteralInline lit: sb.Append(lit.Content.ToString()); break;
            case CodeInline code: sb.Append(code.Content); break;
            case LineBreakInline: sb.Append(' '); break;
            case AutolinkInline auto: sb.Append(auto.Url); break;
            case HtmlInline or HtmlEntityInline: break;
            case ContainerInline container:
                foreach (var child in container) Append(child, sb);
                break;
            // Math keeps its delimiters: "$O(n^2)$" reads better in a path than the bare formula.
            case Markdig.Extensions.Mathematics.MathInline m:
                sb.Append('$').Append(m.Content.ToString()).Append('$');
                break;
        }
    }

    /// <summary>
    /// Collapses whitespace, removes leftover emphasis marks and the stray symbols a PDF conversion leaves in front of
    /// headings ("■", "₩"), and a trailing colon or '#'.
    /// </summary>
    public static string Clean(string text)
    {
        var s = EmphasisMarks().Replace(text, "");
        s = Whitespace.Collapse(s).Trim();
        var start = 0;
        while (start < s.Length && IsLeadingJunk(s, start)) start++;
        s = s[start..].TrimEnd(' ', ':', '#').Trim();
        return s;
    }

    private static bool IsLeadingJunk(string s, int i)
    {
        var c = s[i];
        if (char.IsWhiteSpace(c)) return true;
        if (char.IsSurrogate(c)) return true; // emoji bullets
        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.DashPunctuation => true,
            UnicodeCategory.OtherPunctuation => c is not ('"' or '\'' or '¿' or '¡'),
            _ => false,
        };
    }

    public static string Join(IEnumerable<string?> parts) =>
        string.Join(Separator, parts.Where(p => !string.IsNullOrWhiteSpace(p)));
}
