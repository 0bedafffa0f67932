using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace MlTutor.Answering;

/// <summary>
/// Scores pieces of text against a question by the words they share, without any model: lower-cased,
/// Porter-stemmed words (Lucene's English analysis, so "gradients" meets "gradient"), question words and
/// stop words dropped, each shared word weighted by how rare it is among the pieces (BM25). A word found only
/// in a piece's context (its heading or flashcard question) counts for less than one in the piece itself.
/// </summary>
public static class LexicalRelevance
{
    /// <summary>How much a question word found only in the context counts, relative to one found in the piece.</summary>
    public const double ContextWeight = 0.4;

    private const double K1 = 1.2, B = 0.75;

    // How questions are asked says nothing about what they are about.
    private static readonly string[] QuestionWords =
    [
        "what", "whats", "how", "why", "when", "where", "which", "who", "whom", "does", "do", "did", "done", "doing",
        "would", "should", "could", "can", "may", "might", "must", "shall", "i", "me", "my", "mine", "you", "your",
        "we", "our", "us", "he", "she", "its", "is", "am", "was", "were", "been", "being", "has", "have", "had",
        "explain", "describe", "tell", "mean", "means", "meant", "so", "about", "some", "any", "get", "got", "go",
        "just", "also", "too", "very", "really", "than", "from", "up", "out", "off", "over", "again", "here",
        "someone", "something", "thing", "things", "one", "ones", "like", "use", "used", "using", "instead",
    ];

    private static readonly Analyzer Analyzer = new EnglishAnalyzer(LuceneVersion.LUCENE_48, StopWords());

    private static CharArraySet StopWords()
    {
        var set = new CharArraySet(LuceneVersion.LUCENE_48, EnglishAnalyzer.DefaultStopSet, ignoreCase: true);
        foreach (var w in QuestionWords) set.Add(w);
        return set;
    }

    /// <summary>The stemmed content words of <paramref name="text"/>, in order, repeats kept.</summary>
    public static IReadOnlyList<string> Terms(string text)
    {
        var terms = new List<string>();
        using var stream = Analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    /// <summary>
    /// One score per piece, 0 when it shares no word with the question; rarity is measured over these pieces only.
    /// </summary>
    public static double[] Score(string question, IReadOnlyList<(string Text, string? Context)> pieces)
    {
        var query = Terms(question).Distinct().ToList();
        var scores = new double[pieces.Count];
        if (query.Count == 0 || pieces.Count == 0) return scores;

        var bags = pieces.Select(p => Terms(p.Text).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count())).ToList();
        var contexts = pieces.Select(p => p.Context == null ? [] : Terms(p.Context).ToHashSet()).ToList();
        var lengths = bags.Select(b => b.Values.Sum()).ToList();
        var avgLength = Math.Max(1.0, lengths.Average());
        var n = pieces.Count;

        foreach (var q in query)
        {
            var df = bags.Count(b => b.ContainsKey(q));
            var idf = Math.Log(1 + (n - df + 0.5) / (df + 0.5));
            for (var i = 0; i < n; i++)
            {
                if (bags[i].TryGetValue(q, out var tf))
                    scores[i] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[i] / avgLength));
                else if (contexts[i].Contains(q))
                    scores[i] += idf * ContextWeight;
            }
        }
        return scores;
    }

    /// <summary>Share of <paramref name="a"/>'s distinct words also in <paramref name="b"/> (0..1): how much two questions overlap.</summary>
    public static double Overlap(string a, string b)
    {
        var ta = Terms(a).ToHashSet();
        if (ta.Count == 0) return 0;
        var tb = Terms(b).ToHashSet();
        return ta.Count(tb.Contains) / (double)ta.Count;
    }
}
