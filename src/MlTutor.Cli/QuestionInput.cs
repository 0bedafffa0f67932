using MlTutor.Tutoring;

namespace MlTutor.Cli;

/// <summary>A question as it enters the program (an argument, a line of a --batch file, a chat line).</summary>
public static class QuestionInput
{
    /// <summary>
    /// <paramref name="text"/> with lone surrogates replaced by U+FFFD and cut to <paramref name="maxChars"/> characters,
    /// with a warning on stderr when it was cut (<paramref name="where"/>, such as "FILE:LINE", names the question). The
    /// tutor cuts it the same way; cut here, the user hears of it where the question was given.
    /// </summary>
    public static string Prepare(string text, int maxChars, string? where = null)
    {
        text = QuestionText.WellFormed(text);
        if (text.Length <= maxChars) return text;
        Console.Error.WriteLine("warning: " + QuestionText.CutWarning(text.Length, maxChars, where));
        return QuestionText.Cut(text, maxChars);
    }
}
