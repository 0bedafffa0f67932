using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Pattern;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace MlTutor.Indexing;

/// <summary>
/// The two ways the keyword index reads text. <see cref="Stemmed"/> is the usual English analysis, so that
/// "regularizing" finds "regularization". <see cref="Exact"/> keeps the notation of the field intact: the standard
/// tokenizer turns "t-SNE" into "t" + "sne", "x^2" into "x" + "2" and "C++" into "c"; here such a token is kept whole
/// and also split into its parts and glued together ("t-sne", "t", "sne", "tsne"), so that "tSNE", "t-SNE" and
/// "t sne" all meet, and nothing is stemmed ("L1" never meets "L2", "GRU" stays "gru").
/// </summary>
public static partial class KeywordAnalysis
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Standard tokenizer, English possessive, lower case, English stop words, Porter stemmer.</summary>
    public static Analyzer Stemmed() => new StemmedAnalyzer();

    /// <summary>Notation-keeping tokens (see the type), split and glued at inner punctuation, lower case, stop words; no stemming.</summary>
    public static Analyzer Exact() => new ExactAnalyzer();

    /// <summary>
    /// A token as the notation-keeping analysis sees it: a run of letters/digits, joined by inner '-', '_', '^' or '.'
    /// ("k-NN", "x^2", "0.01", "tf-idf", "w_1"), optionally ending in "++" or '#' ("C++", "C#"). Anything else separates
    /// tokens, so text with odd punctuation simply yields fewer tokens.
    /// </summary>
    /// <remarks>Generated at build time, like the other patterns: a pattern compiled at run time costs every short-lived
    /// command that writes or searches the keyword index its parsing, code emission and JIT compilation.</remarks>
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[-_^.][\p{L}\p{N}]+)*(?:\+\+|#)?", RegexOptions.CultureInvariant)]
    internal static partial Regex NotationToken();

    /// <summary>
    /// The tokens of <paramref name="text"/> written as names, in order, each once: an upper-case letter after the first
    /// character ("RoPE", "FlashAttention", "MoE", "TCP") or letters mixed with digits ("NF4", "word2vec"). Text written
    /// all in capitals has none, since every word would look like one; nor is a stop word in capitals one ("on the training
    /// data AND the test data" stresses a word).
    /// </summary>
    public static IReadOnlyList<string> Names(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsLower))
            return [];
        return NotationToken().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal)
            .Where(t => LooksLikeName(t) && !EnglishAnalyzer.DefaultStopSet.Contains(t.ToLowerInvariant()))
            .ToList();
    }

    /// <summary>
    /// The names of <paramref name="text"/> written as a capitalised word before a name ("Mask R-CNN", "Leaky ReLU"), each
    /// as its two tokens: one name, which the notes may lack although they mention each part. The first word of a
    /// sentence is capitalised anyway ("Explain ReLU"), so it starts none.
    /// </summary>
    public static IReadOnlyList<(string First, string Name)> TwoWordNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TwoWordName().Matches(text)
            .Select(m => (First: m.Groups[1].Value, Name: m.Groups[2].Value))
            .Where(n => LooksLikeName(n.Name) && !EnglishAnalyzer.DefaultStopSet.Contains(n.First.ToLowerInvariant()))
            .Distinct()
            .ToList();
    }

    // A capitalised word that does not start the text or a sentence, then a token (see NotationToken).
    [GeneratedRegex(@"(?<=[\p{L}\p{N},;)]\s+)(\p{Lu}\p{Ll}+)\s+([\p{L}\p{N}]+(?:[-_^.][\p{L}\p{N}]+)*(?:\+\+|#)?)",
        RegexOptions.CultureInvariant)]
    private static partial Regex TwoWordName();

    private static bool LooksLikeName(string token) =>
        token.Skip(1).Any(char.IsUpper) || (token.Any(char.IsLetter) && token.Any(char.IsDigit));

    /// <summary>The terms <paramref name="analyzer"/> makes of <paramref name="text"/> for <paramref name="field"/>, in order, repeats kept.</summary>
    public static List<string> Terms(Analyzer analyzer, string field, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, new StringReader(text));
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    private sealed class StemmedAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream result = new StandardFilter(Version, source);
            result = new EnglishPossessiveFilter(Version, result);
            result = new LowerCaseFilter(Version, result);
            result = new StopFilter(Version, result, EnglishAnalyzer.DefaultStopSet);
            result = new PorterStemFilter(result);
            return new TokenStreamComponents(source, result);
        }
    }

    private sealed class ExactAnalyzer : Analyzer
    {
        // Keep the whole token and its parts, and glue the parts ("t-sne" -> "tsne"); no split on case change
        // ("ReLU" stays one word) nor between letters and digits ("L1", "F1" stay one word).
        private const WordDelimiterFlags Flags =
            WordDelimiterFlags.PRESERVE_ORIGINAL | WordDelimiterFlags.GENERATE_WORD_PARTS |
            WordDelimiterFlags.GENERATE_NUMBER_PARTS | WordDelimiterFlags.CATENATE_ALL;

        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new PatternTokenizer(reader, NotationToken(), 0);
            TokenStream result = new WordDelimiterFilter(Version, source, Flags, null);
            result = new LowerCaseFilter(Version, result);
            result = new StopFilter(Version, result, EnglishAnalyzer.DefaultStopSet);
            return new TokenStreamComponents(source, result);
        }
    }
}
