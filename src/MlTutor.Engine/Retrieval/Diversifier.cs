namespace MlTutor.Retrieval;

/// <summary>How two chunk texts are compared for near-duplication.</summary>
public enum TextOverlap
{
    /// <summary>|A ∩ B| / |A ∪ B| of the word shingles: the same passage in two places.</summary>
    Jaccard,

    /// <summary>|A ∩ B| / min(|A|, |B|) of the word shingles: also catches a short passage copied inside a longer one.</summary>
    Containment,
}

public sealed record DiversifierOptions
{
    /// <summary>Words per shingle (1 = set of words; 2 = word pairs, which also weighs word order).</summary>
    public int ShingleSize { get; init; } = 2;

    public TextOverlap Measure { get; init; } = TextOverlap.Jaccard;

    /// <summary>A candidate at least this similar to a passage already kept is dropped.</summary>
    public double MaxSimilarity { get; init; } = 0.6;

    public static DiversifierOptions Default { get; } = new();
}

/// <summary>
/// Drops near-duplicate passages from a ranking (the same fact copied into two note files would otherwise take two of
/// the few places shown to the answerer). Greedy in rank order: the top hit is always kept, each later candidate is
/// kept unless it is too similar to one already kept.
/// </summary>
public sealed class Diversifier
{
    private readonly DiversifierOptions _options;

    public Diversifier(DiversifierOptions? options = null)
    {
        _options = options ?? DiversifierOptions.Default;
        if (_options.ShingleSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), _options.ShingleSize, "Shingle size must be at least 1.");
    }

    /// <summary>Up to <paramref name="k"/> of <paramref name="ranked"/> (best first), in their order, near-duplicates removed.</summary>
    public IReadOnlyList<ScoredChunk> Select(IReadOnlyList<ScoredChunk> ranked, int k)
    {
        var kept = new List<ScoredChunk>();
        var keptShingles = new List<HashSet<string>>();
        foreach (var candidate in ranked)
        {
            if (kept.Count >= k)
                break;
            if (kept.Any(c => c.Chunk.Id == candidate.Chunk.Id))
                continue;
            var shingles = Shingles(candidate.Chunk.Text, _options.ShingleSize);
            if (keptShingles.Any(s => Overlap(s, shingles, _options.Measure) >= _options.MaxSimilarity))
                continue;
            kept.Add(candidate);
            keptShingles.Add(shingles);
        }
        return kept;
    }

    /// <summary>Similarity of two texts by <paramref name="measure"/> over lower-cased word shingles, 0..1.</summary>
    public static double Similarity(string a, string b, int shingleSize = 2, TextOverlap measure = TextOverlap.Jaccard) =>
        Overlap(Shingles(a, shingleSize), Shingles(b, shingleSize), measure);

    private static double Overlap(HashSet<string> a, HashSet<string> b, TextOverlap measure)
    {
        if (a.Count == 0 || b.Count == 0)
            return 0;
        var common = a.Count < b.Count ? a.Count(b.Contains) : b.Count(a.Contains);
        return measure == TextOverlap.Jaccard
            ? (double)common / (a.Count + b.Count - common)
            : (double)common / Math.Min(a.Count, b.Count);
    }

    private static HashSet<string> Shingles(string text, int size)
    {
        var words = Words(text);
        var shingles = new HashSet<string>(StringComparer.Ordinal);
        if (words.Count > 0 && words.Count < size)
            shingles.Add(string.Join(' ', words));
        for (var i = 0; i + size <= words.Count; i++)
            shingles.Add(string.Join(' ', words.Skip(i).Take(size)));
        return shingles;
    }

    /// <summary>Lower-cased runs of letters and digits: markup and punctuation differences between files do not count.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }
}
