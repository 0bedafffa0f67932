using System.Text.RegularExpressions;

namespace MlTutor.Answering;

/// <summary>
/// Notices a reply that has started to repeat itself, as small models do at low temperatures: a sentence written again,
/// or a long run of words written again word for word. The reply is then stopped at once, not run to the token limit,
/// and kept up to where the repetition began. Short sentences and phrases are allowed again ("Yes.", "the learning
/// rate"): only a repeat long enough to be a loop counts.
/// </summary>
public sealed partial class RepetitionGuard
{
    /// <summary>Words a repeated sentence must have to count as a loop.</summary>
    public const int MinSentenceWords = 5;

    /// <summary>Words in a row that, written again, count as a loop even within one long sentence.</summary>
    public const int RunWords = 12;

    /// <summary>Where, in <paramref name="text"/> (the whole reply so far), the repetition began; null while it does not
    /// repeat itself.</summary>
    /// <param name="labelledLines">The reply is made of labelled lines ("Feedback: …", as a grading asks for): a line's
    /// label is not part of what it says, so its first sentence said again after it is a loop. In an answer, labels are
    /// content ("L1: adds a penalty." and "L2: adds a penalty." are two claims).</param>
    public static int? RepeatStart(string text, bool labelledLines = false)
    {
        var words = Word().Matches(text).Select(m => (Start: m.Index, Text: Normalise(m.Value))).Where(w => w.Text.Length > 0).ToList();
        return SentenceRepeat(text, labelledLines) ?? RunRepeat(words);
    }

    /// <summary>A sentence, ended, equal to one before it.</summary>
    private static int? SentenceRepeat(string text, bool labelledLines)
    {
        var seen = new HashSet<string>();
        foreach (Match sentence in Sentence().Matches(text))
        {
            var said = labelledLines ? Label().Replace(sentence.Value, "") : sentence.Value;
            var words = Word().Matches(said).Select(m => Normalise(m.Value)).Where(w => w.Length > 0).ToList();
            if (words.Count < MinSentenceWords) continue;
            if (!seen.Add(string.Join(' ', words))) return sentence.Index + sentence.Value.Length - sentence.Value.TrimStart().Length;
        }
        return null;
    }

    /// <summary>The latest run of <see cref="RunWords"/> words, met before.</summary>
    private static int? RunRepeat(List<(int Start, string Text)> words)
    {
        if (words.Count < 2 * RunWords) return null;
        var runs = new Dictionary<string, int>();
        for (var i = 0; i + RunWords <= words.Count; i++)
        {
            var run = string.Join(' ', words.Skip(i).Take(RunWords).Select(w => w.Text));
            // A run overlapping the one it repeats is a word or two said again ("very very"), not a loop.
            if (runs.TryGetValue(run, out var first) && i - first >= RunWords) return words[i].Start;
            runs.TryAdd(run, i);
        }
        return null;
    }

    private static string Normalise(string word) => Marker().Replace(word, "").Trim('*', '_', '"', '\'', '(', ')', ',', ';', ':').ToLowerInvariant();

    [GeneratedRegex(@"\S+")]
    private static partial Regex Word();

    // A sentence ends at . ! or ? followed by a space or the end, or at a line's end.
    [GeneratedRegex(@"[^\n.!?]+(?:[.!?]+(?=\s|$)|(?=\n))", RegexOptions.Multiline)]
    private static partial Regex Sentence();

    [GeneratedRegex(@"^\s*\w+:\s")]
    private static partial Regex Label();

    [GeneratedRegex(@"\[\d+(?:,\s*\d+)*\]")]
    private static partial Regex Marker();
}
