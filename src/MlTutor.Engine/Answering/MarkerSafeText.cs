using System.Text.RegularExpressions;

namespace MlTutor.Answering;

/// <summary>
/// Quoted text made safe to stand among citation markers. A number in square brackets inside a formula ("$$[3, 4] + [1]
/// \rightarrow [4, 5]$$", a list literal) reads as a marker [n]: to the student, to the terminal's colouring and to any
/// check of the markers. TeX typesets "[{1}]" exactly as "[1]", so the formula shows the same and is no marker.
/// </summary>
internal static partial class MarkerSafeText
{
    public static string Of(string quoted) =>
        quoted.Contains('$') && quoted.Contains('[')
            ? MathSpan().Replace(quoted, math => BracketedNumber().Replace(math.Value, "[{$1}]"))
            : quoted;

    [GeneratedRegex(@"\$\$.+?\$\$|\$[^$\n]+\$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex MathSpan();

    [GeneratedRegex(@"\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketedNumber();
}
