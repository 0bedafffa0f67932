using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace MlTutor.Embedding;

/// <summary>
/// The text normalization of the BERT uncased reference tokenizer, as Microsoft.ML.Tokenizers' BertTokenizer applies it
/// when given as <see cref="WordPieceOptions.Normalizer"/>: remove NUL, U+FFFD and every other-category character
/// (control, format such as zero-width space and soft hyphen, unassigned, private use) except tab, newline and carriage
/// return; turn every white-space character into a space; put spaces around CJK ideographs; decompose canonically and drop
/// the non-spacing marks; lowercase.
/// </summary>
/// <remarks>
/// The library's own BertNormalizer differs from the reference in ways the golden cases catch: it deletes tab and newline
/// instead of turning them into spaces (gluing words together), keeps format characters, also strips spacing marks,
/// and recomposes with NFC at the end (turning decomposed Hangul back into syllables that are not in the vocabulary).
/// Its accent stripping also relies on <c>string.Normalize</c>, which is a no-op under invariant globalization.
/// </remarks>
internal sealed class BertUncasedNormalizer : Normalizer
{
    public static BertUncasedNormalizer Instance { get; } = new();

    public override string Normalize(string original) => Normalize(original.AsSpan());

    public override string Normalize(ReadOnlySpan<char> original)
    {
        if (original.IsEmpty)
            return string.Empty;

        // Most text keeps its length; CJK spacing and Hangul decomposition grow it, so the buffer can grow.
        char[] buffer = ArrayPool<char>.Shared.Rent(original.Length * 2 + 16);
        int length = 0;
        try
        {
            var rest = original;
            while (!rest.IsEmpty)
            {
                // A lone surrogate decodes as U+FFFD and is dropped like the reference drops U+FFFD.
                Rune.DecodeFromUtf16(rest, out Rune rune, out int consumed);
                rest = rest[consumed..];
                AppendNormalized(rune, ref buffer, ref length);
            }
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static void AppendNormalized(Rune rune, ref char[] buffer, ref int length)
    {
        if (rune.IsAscii)
        {
            AppendAscii((char)rune.Value, ref buffer, ref length);
            return;
        }
        int cp = rune.Value;
        if (cp == 0 || cp == 0xFFFD)
            return;

        var category = Rune.GetUnicodeCategory(rune);
        if (cp is not ('\t' or '\n' or '\r') && IsOther(category))
            return;
        if (Rune.IsWhiteSpace(rune))
        {
            Append(' ', ref buffer, ref length);
            return;
        }

        if (IsCjkIdeograph(cp))
        {
            Append(' ', ref buffer, ref length);
            AppendFolded(rune, category, ref buffer, ref length);
            Append(' ', ref buffer, ref length);
            return;
        }

        AppendFolded(rune, category, ref buffer, ref length);
    }

    /// <summary>
    /// An ASCII character as the steps for any other come out for it, without looking it up: control characters are
    /// dropped but tab, newline and carriage return, which become spaces like the space itself; no ASCII character has
    /// accents to strip, and letters are lowercased. Notes are mostly ASCII, and their every character is normalized
    /// each time the chunker counts the pieces of a text.
    /// </summary>
    private static void AppendAscii(char c, ref char[] buffer, ref int length)
    {
        if (c is '\t' or '\n' or '\r')
            Append(' ', ref buffer, ref length);
        else if (c is >= ' ' and not '\x7F')
            Append(char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c, ref buffer, ref length);
    }

    /// <summary>Accent stripping (NFD without Mn) followed by lowercasing, as the reference orders them.</summary>
    private static void AppendFolded(Rune rune, UnicodeCategory category, ref char[] buffer, ref int length)
    {
        int cp = rune.Value;
        if (AccentFoldingTable.Folded.TryGetValue(cp, out string? folded))
        {
            foreach (Rune part in folded.EnumerateRunes())
                AppendLower(part, ref buffer, ref length);
            return;
        }

        if ((uint)(cp - HangulBase) < HangulCount)
        {
            // Hangul syllables decompose by arithmetic (Unicode 3.12) into leading, vowel and optional trailing jamo.
            int index = cp - HangulBase;
            Append((char)(0x1100 + index / 588), ref buffer, ref length);
            Append((char)(0x1161 + index % 588 / 28), ref buffer, ref length);
            if (index % 28 != 0)
                Append((char)(0x11A7 + index % 28), ref buffer, ref length);
            return;
        }

        if (category == UnicodeCategory.NonSpacingMark)
            return;

        AppendLower(rune, ref buffer, ref length);
    }

    private const int HangulBase = 0xAC00;
    private const uint HangulCount = 11172;

    private static void AppendLower(Rune rune, ref char[] buffer, ref int length)
    {
        var lower = Rune.ToLowerInvariant(rune);
        if (lower.IsBmp)
        {
            Append((char)lower.Value, ref buffer, ref length);
        }
        else
        {
            Span<char> pair = stackalloc char[2];
            lower.EncodeToUtf16(pair);
            Append(pair[0], ref buffer, ref length);
            Append(pair[1], ref buffer, ref length);
        }
    }

    private static void Append(char c, ref char[] buffer, ref int length)
    {
        if (length == buffer.Length)
        {
            var bigger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(buffer);
            buffer = bigger;
        }
        buffer[length++] = c;
    }

    private static bool IsOther(UnicodeCategory category) => category is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse
        or UnicodeCategory.Surrogate;

    /// <summary>The CJK ideograph blocks of the reference tokenizer (not kana or Hangul, which are written with spaces).</summary>
    private static bool IsCjkIdeograph(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F
            or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;
}
