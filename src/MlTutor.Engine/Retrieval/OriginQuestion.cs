using System.Text.RegularExpressions;

namespace MlTutor.Retrieval;

/// <summary>
/// A question that asks where something came from: who invented, proposed or published it, which paper, lab or authors.
/// Only a passage that says so answers it ("proposed by …", "Cho et al., 2014", "Hochreiter &amp; Schmidhuber, 1997");
/// a passage on the thing itself, however close, does not. Study notes rarely say who made what, so such a question is
/// often asked about a topic the notes cover well (a follow-up such as "who invented it?"), where every score says
/// covered.
/// </summary>
public static partial class OriginQuestion
{
    /// <summary>How many of the best passages are read for a statement of origin: those an answer quotes from.</summary>
    public const int PassagesRead = 3;

    /// <summary>Whether <paramref name="question"/> asks who made something, or in which paper or place.</summary>
    public static bool Asks(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Asking().IsMatch(question);
    }

    /// <summary>Whether <paramref name="text"/> says who made something: "… by Name", "et al.", or "Name &amp; Name, 1997".</summary>
    public static bool IsStatedIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Stating().IsMatch(text);
    }

    /// <summary>Whether <paramref name="question"/> asks for an origin that none of the first <see cref="PassagesRead"/> of
    /// <paramref name="passages"/> states.</summary>
    public static bool Unanswered(string question, IEnumerable<string> passages) =>
        Asks(question) && !passages.Take(PassagesRead).Any(IsStatedIn);

    // "who" with a verb of making within a few words ("who came up with it", "who first proposed dropout"), not any "who"
    // ("who should use Adam?"); "whose idea"; "by whom"; or which paper, lab or authors.
    [GeneratedRegex(@"(?<![\w-])who(?:\s+\w+){0,3}?\s+(?:invent\w*|creat\w*|propos\w*|introduc\w*|c[ao]me\s+up|develop\w*|publish\w*|wr[io]te|discover\w*|design\w*|coin\w*|made|named|buil[td]|originat\w*|pioneer\w*|authored)(?![\w-])"
        + @"|(?<![\w-])whose\s+(?:idea|paper|work|invention|method)(?![\w-])|(?<![\w-])by\s+whom(?![\w-])"
        + @"|(?<![\w-])(?:which|what)\s+(?:\w+\s+)?(?:paper|papers|lab|labs|company|companies|team|group|university|researchers?|authors?|inventors?)(?![\w-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Asking();

    [GeneratedRegex(@"(?<![\w-])(?i:invented|proposed|introduced|developed|published|created|coined|designed|described|presented|popularized|popularised|released|pioneered)\s+by\s+\p{Lu}"
        + @"|(?<![\w-])et\s+al(?![\w-])"
        + @"|\p{Lu}\p{Ll}+\s*(?:&|and)\s*\p{Lu}\p{Ll}+,?\s*\(?(?:19|20)\d\d(?!\d)",
        RegexOptions.CultureInvariant)]
    private static partial Regex Stating();
}
