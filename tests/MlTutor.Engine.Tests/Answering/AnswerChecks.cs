using System.Text.RegularExpressions;
using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Tests.Answering;

/// <summary>Builds chunks the way ingestion does (Text = the file's lines StartLine..EndLine) and reads answers back.</summary>
internal static partial class AnswerChecks
{
    /// <summary>A chunk over <paramref name="lines"/> of a file, starting at file line <paramref name="startLine"/>.</summary>
    public static Chunk MakeChunk(string file, int startLine, string heading, params string[] lines) =>
        new($"{file}#{startLine}", file, heading, startLine, startLine + lines.Length - 1,
            string.Join("\n", lines), heading + "\n" + string.Join("\n", lines), Tokens: 0);

    public static RetrievedContext Context(string question, params Chunk[] chunks) =>
        new(question, chunks.Select((c, i) => new ScoredChunk(c, 1f - i * 0.1f)).ToList(), NotCovered: false);

    /// <summary>The quoted pieces of an answer with their marker numbers, list dashes removed.</summary>
    public static List<(string Sentence, int N)> Quotes(string text)
    {
        var quotes = new List<(string, int)>();
        foreach (var line in text.Split('\n'))
        {
            var from = 0;
            foreach (Match m in Marker().Matches(line))
            {
                var piece = line[from..m.Index].Trim();
                if (piece.StartsWith("- ", StringComparison.Ordinal)) piece = piece[2..];
                quotes.Add((piece, int.Parse(m.Groups[1].Value)));
                from = m.Index + m.Length;
            }
        }
        return quotes;
    }

    /// <summary>Text with whitespace and the markup the display cleaning may drop or add removed, for "is it really in the notes" checks.</summary>
    public static string Squash(string s) => Noise().Replace(SafeBracket().Replace(s, "[$1]"), "");

    /// <summary>The 1-based line numbers (within the chunk's file) where a quoted piece sits; with
    /// <paramref name="from"/> and <paramref name="to"/> (file lines), only there: a short label such as a heading may
    /// stand elsewhere in the chunk too.</summary>
    public static (int First, int Last) LinesOf(Chunk chunk, string sentence, int? from = null, int? to = null)
    {
        var lines = chunk.Text.Split('\n');
        var target = Squash(sentence);
        var (low, high) = (Math.Max(0, (from ?? chunk.StartLine) - chunk.StartLine), Math.Min(lines.Length, (to ?? chunk.EndLine) - chunk.StartLine + 1));
        // Find the smallest window of lines whose squashed text contains the quote.
        for (var len = 1; len <= high - low; len++)
            for (var s = low; s + len <= high; s++)
                if (Squash(string.Join("\n", lines[s..(s + len)])).Contains(target, StringComparison.Ordinal))
                    return (chunk.StartLine + s, chunk.StartLine + s + len - 1);
        throw new Xunit.Sdk.XunitException($"quote not found in {chunk.File}: {sentence}");
    }

    [GeneratedRegex(@" \[(\d+)\](?= |$)")]
    private static partial Regex Marker();

    /// <summary>A number in brackets that an answer writes "[{1}]" inside a formula, so that it is no marker.</summary>
    [GeneratedRegex(@"\[\{(\d+)\}\]")]
    private static partial Regex SafeBracket();

    [GeneratedRegex(@"[\s*_`|]+")]
    private static partial Regex Noise();
}
