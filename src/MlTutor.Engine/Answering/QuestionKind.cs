using System.Text.RegularExpressions;

namespace MlTutor.Answering;

/// <summary>What a question asks for, which shapes its answer: the definition first, the formula it names, both sides of a
/// comparison, the reason, the steps, the list, the number it asks for.</summary>
public enum QuestionKind { Other, Definition, Formula, Comparison, Why, How, List, Quantity }

/// <summary>Reads a question's kind and, for a comparison, its two sides, from its wording alone.</summary>
public static partial class QuestionKinds
{
    /// <summary>The kind of <paramref name="question"/>; a question that names two sides is a comparison even when it
    /// also asks for their formulas, since each side's answer then holds its formula. A why or how-many question that
    /// names some math ("why does the derivative vanish") still asks for a reason or a number; an answer to it gets the
    /// formula as well when one is near (<see cref="ExtractiveAnswerer.AsksForFormula"/>).</summary>
    public static QuestionKind Of(string question)
    {
        var q = question.Trim();
        if (Sides(q) is not null || Comparison().IsMatch(q)) return QuestionKind.Comparison;
        if (Why().IsMatch(q)) return QuestionKind.Why;
        if (Quantity().IsMatch(q)) return QuestionKind.Quantity;
        if (ExtractiveAnswerer.AsksForFormula(q)) return QuestionKind.Formula;
        if (ListRequest().IsMatch(q)) return QuestionKind.List;
        if (How().IsMatch(q)) return QuestionKind.How;
        if (Definition().IsMatch(q)) return QuestionKind.Definition;
        return QuestionKind.Other;
    }

    /// <summary>The two things a comparison sets against each other ("L1 vs L2 penalty", "difference between bagging and
    /// boosting"), as written; null when the question names no two sides.</summary>
    public static (string A, string B)? Sides(string question)
    {
        var m = Versus().Match(question);
        if (!m.Success) m = Between().Match(question);
        if (!m.Success) m = DifferFrom().Match(question);
        if (!m.Success) return null;
        var (a, b) = (m.Groups["a"].Value.Trim(), m.Groups["b"].Value.Trim());
        // Around "vs" the names are the words next to it ("Xavier vs He initialization"): the words after them are
        // often what both sides share.
        if (m.Groups["vs"].Success)
            (a, b) = (a.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], b.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        // A side named by a pronoun ("how is it different from …") is the subject of an earlier part of the question.
        return Words(a).Except(Minor).Any() && Words(b).Except(Minor).Any() && !Words(a).SetEquals(Words(b)) ? (a, b) : null;
    }

    /// <summary>Whether <paramref name="text"/> names the side <paramref name="side"/>: holds one of the words that tell it
    /// from <paramref name="other"/> ("He" of "He initialization" against "Xavier initialization"), short ones included.</summary>
    public static bool Names(string text, string side, string other)
    {
        var words = Words(text);
        var others = Words(other);
        return Words(side).Where(w => !others.Contains(w) && !Minor.Contains(w)).Any(words.Contains);
    }

    private static HashSet<string> Words(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToHashSet();

    private static readonly HashSet<string> Minor = ["a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "each", "one",
        "it", "its", "them", "they", "their", "this", "that"];

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    // Up to three words either side of "vs", stopping at punctuation: "Xavier vs He init", "rmsprop vs adagrad: …".
    [GeneratedRegex(@"(?<a>(?:[\w/+\-]+\s+){0,2}[\w/+\-]+)\s+(?<vs>vs\.?|versus)\s+(?<b>[\w/+\-]+(?:\s+[\w/+\-]+){0,2})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Versus();

    [GeneratedRegex(@"\b(?:difference|differences|distinction)\s+between\s+(?<a>[^,?;:]+?)\s+and\s+(?<b>[^,?;:.]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Between();

    // "How does X differ from Y", "how is X different from Y (in …)": Y ends at the question's end or at what the
    // difference is asked about.
    [GeneratedRegex(@"\bhow\s+(?:does|do|is|are)\s+(?<a>[^,?;:]+?)\s+(?:differ|different)\s+from\s+(?<b>[^,?;:.]+?)(?=\s+(?:in|when|for|at|on)\b|\s*[?,;:.]|\s*$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DifferFrom();

    [GeneratedRegex(@"\b(?:vs\.?|versus|differ(?:s|ence|ences)?|compare[sd]?|comparison|contrast)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^(?:why\b|what(?:'s| is) the (?:point|purpose|reason|benefit|motivation)\b)|\bwhy (?:do|does|is|are|would|should|can)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Why();

    [GeneratedRegex(@"\b(?:what are (?:the |some )?(?:main |common |key )?(?:ways|types|kinds|steps|methods|techniques|advantages|disadvantages|downsides|drawbacks|benefits|pros|cons|limitations|fixes|options)|which (?:algorithms|methods|techniques|models|ones)|list)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListRequest();

    [GeneratedRegex(@"\bhow (?:many|much|big|large|long|wide|deep)\b|\bwhat (?:size|dimension|number)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^(?:how\b|walk me through|what are the steps)|\bstep by step\b|\bhow (?:does|do|is|are|can|would)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex How();

    [GeneratedRegex(@"^(?:what(?:'s| is| are| does)\b|define\b|explain\b)|\b(?:definition|meaning) of\b|\bwhat (?:is|are|does)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Definition();
}
