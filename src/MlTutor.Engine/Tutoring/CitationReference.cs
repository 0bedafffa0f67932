using System.Text.RegularExpressions;

namespace MlTutor.Tutoring;

/// <summary>A citation as the tutor prints it, FILE:START-END (or FILE:LINE), read back.</summary>
public sealed partial record CitationReference(string File, int StartLine, int EndLine)
{
    public static CitationReference Parse(string text)
    {
        var m = Reference().Match(text.Trim());
        if (!m.Success)
            throw new TutorException($"'{text}' is not a citation: write FILE:LINE or FILE:START-END, e.g. optimizers.md:30-34", Remedy.FixInput);
        // Digits beyond int's range cannot name a line of any note: an error that says so, not an overflow.
        var tooLarge = new TutorException($"'{text}': line numbers must be at most {int.MaxValue}, e.g. optimizers.md:30-34", Remedy.FixInput);
        if (!int.TryParse(m.Groups["start"].Value, out var start)) throw tooLarge;
        var end = start;
        if (m.Groups["end"].Success && !int.TryParse(m.Groups["end"].Value, out end)) throw tooLarge;
        if (start < 1 || end < start) throw new TutorException($"'{text}': lines must be 1 or more, START before END", Remedy.FixInput);
        return new CitationReference(m.Groups["file"].Value, start, end);
    }

    [GeneratedRegex(@"^(?<file>.+?):(?<start>\d+)(?:-(?<end>\d+))?$", RegexOptions.Singleline)]
    private static partial Regex Reference();
}
