using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace MlTutor.Embedding;

/// <summary>
/// The word-piece tokenizer of all-MiniLM-L6-v2, identical to the reference (BERT uncased, as sentence-transformers runs it):
/// <c>[CLS]</c> + pieces + <c>[SEP]</c>, at most <see cref="MaxPieces"/> ids in all.
/// Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> does the vocabulary, WordPiece and <c>[UNK]</c> work; it is given
/// the reference normalization and the reference punctuation split through its options, and literal special tokens are
/// split off beforehand because the library matches them only after lowercasing (it would read "[mask]" as <c>[MASK]</c>).
/// </summary>
public sealed partial class MiniLmTokenizer
{
    /// <summary>The model's limit: ids fed to the encoder, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public const int MaxPieces = 256;

    /// <summary>Special tokens written literally in a text map to their own ids, case-sensitively, as in the reference.</summary>
    private static readonly string[] LiteralSpecialTokens = ["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]"];

    private readonly BertTokenizer _bert;
    private readonly (string Token, int Id)[] _specialTokens;

    private MiniLmTokenizer(BertTokenizer bert)
    {
        _bert = bert;
        _specialTokens = LiteralSpecialTokens
            .Select(t => (t, bert.EncodeToIds(t, addSpecialTokens: false, considerPreTokenization: false, considerNormalization: false).Single()))
            .ToArray();
    }

    public int ClsId => _bert.ClassificationTokenId;
    public int SepId => _bert.SeparatorTokenId;
    public int PadId => _bert.PaddingTokenId;

    /// <summary>Reads <c>vocab.txt</c> from the model folder.</summary>
    /// <exception cref="ModelNotFoundException">The folder or its vocab.txt is missing.</exception>
    public static MiniLmTokenizer FromModelDirectory(string dir)
    {
        var vocab = Path.Combine(dir, "vocab.txt");
        if (!File.Exists(vocab))
            throw new ModelNotFoundException(vocab);

        var options = new BertOptions
        {
            // What the reference does; BertUncasedNormalizer carries out the first four exactly.
            LowerCaseBeforeTokenization = true,
            ApplyBasicTokenization = true,
            RemoveNonSpacingMarks = true,
            IndividuallyTokenizeCjk = true,
            Normalizer = BertUncasedNormalizer.Instance,
            PreTokenizer = new RegexPreTokenizer(WordOrPunctuation(), specialTokens: null),
            SplitOnSpecialTokens = false,
            MaxInputCharsPerWord = 100,
        };
        return new MiniLmTokenizer(BertTokenizer.Create(vocab, options));
    }

    /// <summary>The ids the encoder is fed: <c>[CLS]</c> + pieces + <c>[SEP]</c>, truncated to <see cref="MaxPieces"/>.</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>(Math.Min(MaxPieces, text.Length / 3 + 8)) { ClsId };
        AppendPieces(text, ids);
        if (ids.Count >= MaxPieces)
            ids.RemoveRange(MaxPieces - 1, ids.Count - (MaxPieces - 1));
        ids.Add(SepId);
        return ids.ToArray();
    }

    /// <summary>
    /// How many ids the text needs, <c>[CLS]</c> and <c>[SEP]</c> included, without truncation: more than
    /// <see cref="MaxPieces"/> means the encoder would not see the end of the text.
    /// </summary>
    public int CountPieces(string text)
    {
        int count = 2;
        foreach (var (start, length, specialId) in Segments(text))
            count += specialId >= 0 ? 1 : _bert.CountTokens(text.AsSpan(start, length), considerPreTokenization: true, considerNormalization: true);
        return count;
    }

    /// <summary>The word pieces of the text, without <c>[CLS]</c>/<c>[SEP]</c> and without truncation.</summary>
    private void AppendPieces(string text, List<int> ids)
    {
        foreach (var (start, length, specialId) in Segments(text))
        {
            if (specialId >= 0)
                ids.Add(specialId);
            else
                ids.AddRange(_bert.EncodeToIds(text.AsSpan(start, length), addSpecialTokens: false));
        }
    }

    /// <summary>The text cut at literal special tokens: plain spans (id -1) and the special tokens' ids.</summary>
    private IEnumerable<(int Start, int Length, int SpecialId)> Segments(string text)
    {
        int plainStart = 0;
        for (int i = text.IndexOf('['); i >= 0; i = text.IndexOf('[', i + 1))
        {
            foreach (var (token, id) in _specialTokens)
            {
                if (string.CompareOrdinal(text, i, token, 0, token.Length) != 0)
                    continue;
                if (i > plainStart)
                    yield return (plainStart, i - plainStart, -1);
                yield return (i, token.Length, id);
                plainStart = i + token.Length;
                i = plainStart - 1;
                break;
            }
        }
        if (plainStart < text.Length)
            yield return (plainStart, text.Length - plainStart, -1);
    }

    /// <summary>
    /// The reference's pre-tokenization of normalized text (where every white space is already a space): runs of
    /// characters that are neither space nor punctuation, and single punctuation characters. Punctuation is every Unicode
    /// P* character and every ASCII symbol (<c>$ + &lt; = &gt; ^ ` | ~</c> are symbols to Unicode, punctuation to BERT);
    /// the library's default pattern <c>\w+|\p{P}</c> would silently drop those symbols.
    /// </summary>
    [GeneratedRegex(@"[^ \p{P}!-/:-@\[-`{-~]+|[\p{P}!-/:-@\[-`{-~]", RegexOptions.CultureInvariant)]
    private static partial Regex WordOrPunctuation();
}
