using System.Text.RegularExpressions;

namespace MlTutor.Tutoring;

/// <summary>
/// Finds where an answer says the opposite of a key point in the point's own words: a sentence close to the point in
/// meaning that has a word of the opposite pole where the point has a word of one ("soft targets" in the notes, "trained
/// only on the hard labels" in the answer; "unsupervised" and "a supervised method"). A sentence that also has a word of
/// the point's pole ("soft rather than hard", "a big teacher and a small student") contrasts the two and contradicts
/// nothing, and neither does one opposing a point that names both poles itself ("large dot products … very small
/// gradients"). The poles are those of plain English, not of any subject; a word with a negating prefix ("unsupervised",
/// "non-linear") is the opposite of the word without it. A word a negating word turns round ("penalizes big weights",
/// "without high variance") is read as neither pole: what it says is not told by the word alone.
/// </summary>
internal static partial class OpposedTerms
{
    private static readonly (string[] A, string[] B)[] PolePairs =
    [
        (["soft", "softer"], ["hard", "harder"]),
        (["high", "higher", "highest"], ["low", "lower", "lowest"]),
        (["large", "larger", "largest", "big", "bigger", "biggest", "huge"], ["small", "smaller", "smallest", "tiny"]),
        (["wide", "wider", "widest"], ["narrow", "narrower", "narrowest"]),
        (["maximum", "maximize", "maximizes", "maximizing", "maximal"], ["minimum", "minimize", "minimizes", "minimizing", "minimal"]),
        (["increase", "increases", "increasing", "increased", "raise", "raises", "raising"],
            ["decrease", "decreases", "decreasing", "decreased", "reduce", "reduces", "reducing", "reduced", "lower", "lowers", "lowering"]),
        (["early", "earlier", "earliest"], ["late", "later", "latest"]),
        (["positive"], ["negative"]),
        (["explicit", "explicitly"], ["implicit", "implicitly"]),
        (["dense"], ["sparse"]),
        (["fast", "faster", "fastest", "quick", "quicker"], ["slow", "slower", "slowest"]),
        (["shallow", "shallower"], ["deep", "deeper", "deepest"]),
        (["always"], ["never"]),
        (["close", "closer", "closest", "near", "nearer", "nearest"], ["far", "farther", "farthest", "further", "furthest"]),
    ];

    /// <summary>Each word's pole and the opposite pole (a word may sit in two pairs, as "lower" does).</summary>
    private static readonly Dictionary<string, List<(string[] Own, string[] Opposite)>> Poles = PolePairs
        .SelectMany(p => p.A.Select(w => (w, p.A, p.B)).Concat(p.B.Select(w => (w, p.B, p.A))))
        .GroupBy(x => x.w, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(x => (x.Item2, x.Item3)).ToList(), StringComparer.Ordinal);

    private static readonly string[] NegatingPrefixes = ["non-", "non", "un"];

    /// <summary>The word of <paramref name="point"/> that <paramref name="sentence"/> opposes, with the word it says instead;
    /// null when it opposes none.</summary>
    public static (string NotesSay, string Said)? Opposed(string point, string sentence)
    {
        var pointWords = Words(point);
        var said = Words(sentence);
        foreach (var word in pointWords)
            foreach (var (own, opposite) in PolesOf(word))
            {
                if (own.Any(said.Contains) || opposite.Any(pointWords.Contains)) continue;
                if (opposite.FirstOrDefault(said.Contains) is { } instead) return (word, instead);
            }
        return null;
    }

    private static IEnumerable<(string[] Own, string[] Opposite)> PolesOf(string word)
    {
        if (Poles.TryGetValue(word, out var listed))
            foreach (var pole in listed) yield return pole;
        // "unsupervised" against "supervised", "linear" against "non-linear": short words ("like", "even") are left out, their
        // prefixed forms are often not their opposites ("unlike").
        if (NegatingPrefixes.FirstOrDefault(p => word.StartsWith(p, StringComparison.Ordinal)) is { } prefix && word.Length - prefix.Length >= 5)
            yield return ([word], [word[prefix.Length..]]);
        else if (word.Length >= 5)
            yield return ([word], [.. NegatingPrefixes.Select(p => p + word)]);
    }

    /// <summary>The text's words, less those a negating word before them in the same clause turns round ("penalizes big
    /// weights" says what "keeps weights small" does, "isn't large" what "is small" does): their pole is not the one they
    /// name. A clause ends at punctuation or a conjunction ("prevents overfitting and reduces training time"); "not only"
    /// negates nothing.</summary>
    private static HashSet<string> Words(string text)
    {
        text = Contraction().Replace(text, " not");
        var words = new HashSet<string>(StringComparer.Ordinal);
        var negatedFor = 0;
        var end = 0;
        var matches = Word().Matches(text);
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            var word = m.Value.ToLowerInvariant();
            if (ClauseBreak().IsMatch(text.AsSpan(end, m.Index - end)) || ClauseWord().IsMatch(word)) negatedFor = 0;
            end = m.Index + m.Length;
            if (negatedFor-- > 0 && Poles.ContainsKey(word)) continue;
            words.Add(word);
            if (Negating().IsMatch(word) && !(word == "not" && i + 1 < matches.Count && matches[i + 1].Value.Equals("only", StringComparison.OrdinalIgnoreCase)))
                negatedFor = NegationReach;
        }
        return words;
    }

    /// <summary>How many words after a negating one it still governs ("prevents very large weights").</summary>
    private const int NegationReach = 3;

    [GeneratedRegex(@"\p{L}+(?:-\p{L}+)*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    [GeneratedRegex(@"^(?:not|no|without|penalty|penalties|penali[sz](?:e|es|ed|ing)|prevents?|prevented|preventing|avoids?|avoided|avoiding"
        + @"|discourages?|discouraged|discouraging|punish(?:es|ed|ing)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Negating();

    [GeneratedRegex(@"^(?:and|but|or|which|that|while|whereas|so|because)$", RegexOptions.CultureInvariant)]
    private static partial Regex ClauseWord();

    [GeneratedRegex(@"[,;:.!?()\[\]""“”–—/\n]|\s-\s")]
    private static partial Regex ClauseBreak();

    // "isn't", "doesn’t": the negation is a word of its own.
    [GeneratedRegex(@"n['’]t\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Contraction();
}
