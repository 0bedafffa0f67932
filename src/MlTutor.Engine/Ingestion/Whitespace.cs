using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>Runs of white space in note text, as every stage that tidies or compares text treats them.</summary>
internal static partial class Whitespace
{
    /// <summary>Every run of white space (line breaks and tabs too) as one space.</summary>
    public static string Collapse(string text) => Run().Replace(text, " ");

    /// <summary>The text without any white space: how two texts laid out differently are told to be the same.</summary>
    public static string Remove(string text) => Run().Replace(text, "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Run();
}
