using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>
/// The number a numbered section title opens with ("3.2 Recurrent Networks", "11. Parametric Models"): converted notes
/// keep their sections' numbers when they lose their heading marks, so the number says what is a title and how deep.
/// </summary>
internal static partial class SectionNumber
{
    /// <summary>Whether <paramref name="text"/> opens with a section number followed by a title.</summary>
    public static bool Opens(string text) => Pattern().IsMatch(text);

    /// <summary>How many numbers the section number has ("3.2" has two); 0 when the text opens with none.</summary>
    public static int Depth(string text)
    {
        var m = Pattern().Match(text);
        return m.Success ? m.Groups["num"].Value.Split('.').Length : 0;
    }

    /// <summary>The numbers of the section number ("3.2" is 3, 2); null when the text opens with none.</summary>
    public static int[]? Parts(string text)
    {
        var m = Pattern().Match(text);
        if (!m.Success) return null;
        var parts = m.Groups["num"].Value.Split('.');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out numbers[i])) return null;
        return numbers;
    }

    /// <summary>The title without its section number and the space after it.</summary>
    public static string Strip(string text) => Pattern().Replace(text, "");

    // The title's first character is looked at, not taken, so that Strip leaves it.
    [GeneratedRegex(@"^(?<num>\d+(?:\.\d+)*)\.?\s+(?=\S)")]
    private static partial Regex Pattern();
}
