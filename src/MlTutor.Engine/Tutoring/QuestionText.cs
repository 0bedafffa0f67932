using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlTutor.Tutoring;

/// <summary>
/// A question as the tutor reads it: well-formed text of a bounded length. The encoder reads 256 word pieces of a text and
/// no note answers a question of pages, while every character costs time in the tokenizer, the splitting into parts and
/// the keyword query.
/// </summary>
public static class QuestionText
{
    public const string MaxCharsSetting = "Retrieval:MaxQuestionChars";

    /// <summary>What a host says when it cut a question (where, such as "FILE:LINE", names the question).</summary>
    public static string CutWarning(int length, int maxChars, string? where = null) =>
        $"{(where is null ? "" : where + ": ")}the question is {length.ToString("N0", CultureInfo.InvariantCulture)} characters long: "
        + $"only its first {maxChars.ToString("N0", CultureInfo.InvariantCulture)} are read (setting {MaxCharsSetting})";

    /// <summary>At most <paramref name="maxChars"/> characters of <paramref name="text"/>, never half of a surrogate pair.</summary>
    public static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars) return text;
        var length = maxChars > 0 && char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : maxChars;
        return text[..length];
    }

    /// <summary><paramref name="text"/> with every lone UTF-16 surrogate (which no encoding can write) replaced by U+FFFD.</summary>
    public static string WellFormed(string text)
    {
        var first = FirstLoneSurrogate(text, 0);
        if (first < 0) return text;
        var builder = new StringBuilder(text.Length);
        var done = 0;
        for (var i = first; i >= 0; i = FirstLoneSurrogate(text, i + 1))
        {
            builder.Append(text, done, i - done).Append('\uFFFD');
            done = i + 1;
        }
        return builder.Append(text, done, text.Length - done).ToString();
    }

    private static int FirstLoneSurrogate(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            return i;
        }
        return -1;
    }

    /// <summary>
    /// The text of a JSON string. JSON may escape half of a surrogate pair alone ("\ud800"), which .NET refuses to read
    /// as a string; such a half is read as U+FFFD.
    /// </summary>
    public static string FromJson(JsonElement value)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return WellFormed(Unescape(value.GetRawText()));
        }
    }

    /// <summary>The characters of a JSON string literal (with its quotes) already checked by the parser, escapes decoded.</summary>
    private static string Unescape(string literal)
    {
        var builder = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\') { builder.Append(c); continue; }
            c = literal[++i];
            switch (c)
            {
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    builder.Append((char)int.Parse(literal.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: builder.Append(c); break; // \" \\ \/
            }
        }
        return builder.ToString();
    }
}
