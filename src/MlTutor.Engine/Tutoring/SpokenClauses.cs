using System.Text.RegularExpressions;
using MlTutor.Ingestion;

namespace MlTutor.Tutoring;

/// <summary>
/// A spoken answer cut into what is compared with the notes: its sentences (as the notes' own sentences are cut), and each
/// sentence's clauses, cut where one statement hands over to the next ("…is the decoder and GPT is the encoder").
/// </summary>
public static partial class SpokenClauses
{
    public static IReadOnlyList<string> Sentences(string answer)
    {
        var sentences = NoteSentenceSplitter.Split(answer.Replace("\r", "").Replace('\n', ' '))
            .Select(s => s.Text).Where(t => t.Length > 0).ToList();
        return sentences.Count > 0 ? sentences : [answer.Trim()];
    }

    public static IReadOnlyList<string> Clauses(string sentence) =>
        Boundary().Split(sentence).Select(c => c.Trim(' ', ',', '.')).Where(c => c.Length > 0).ToList();

    [GeneratedRegex(@"\s*(?:[;:]|,?\s+(?:and|but|while|whereas)\s+)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Boundary();
}
