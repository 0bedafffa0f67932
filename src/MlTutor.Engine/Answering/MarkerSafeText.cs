using System.Text.RegularExpressions;

namespace MlTutor.Answering;

/// <summary>
/// A quoted piece made safe to stand among citation markers. A number in square brackets inside a formula ("$$[3, 4] +
/// [1] \rightarrow [4, 5]$$", a list literal) reads as a marker [n] to the student and to any check of an answer's
/// markers. TeX typesets "[{1}]" exactly as "[1]", so the formula shows the same and holds no marker. Text outside math
/// ("costs $5 per call [2]") is left as the note has it.
/// </summary>
internal static partial class MarkerSafeText
{
    public static string Of(string quoted) =>
        quoted.Contains('$') && quoted.Contains('[')
            ? MathSpan().Replace(quoted, math => BracketedNumber().Replace(math.Value, "[{$1}]"))
            : quoted;

    // As the terminal reads math: "$$…$$", or "$…$" that opens on no space or digit and closes on no space before a
    // non-digit (so that "$5 and $10" is money, not math).
    [GeneratedRegex(@"\$\$[^$]+\$\$|(?<!\\)\$[^\s$\d][^$]*?(?<!\s)\$(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex MathSpan();

    [GeneratedRegex(@"\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketedNumber();
}
