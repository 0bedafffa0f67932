namespace MlTutor.Indexing;

/// <summary>
/// How a <see cref="KeywordIndex"/> scores: BM25 parameters and the weight of each indexed field in a query.
/// A weight of 0 leaves that field out of queries. All fields are always indexed, so weights and BM25 parameters
/// can be changed on an existing index without rebuilding it.
/// </summary>
public sealed record KeywordIndexOptions
{
    /// <summary>BM25 term-frequency saturation (Lucene's default 1.2).</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation, 0..1 (Lucene's default 0.75).</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>The chunk text, stemmed English analysis.</summary>
    public float TextWeight { get; init; } = 1f;

    /// <summary>The chunk text, notation-keeping analysis without stemming (see <see cref="KeywordAnalysis.Exact"/>).</summary>
    public float ExactWeight { get; init; } = 1f;

    /// <summary>The heading path above the chunk, stemmed.</summary>
    public float HeadingWeight { get; init; } = 0.5f;

    /// <summary>The question of a flashcard-like chunk (the text before its flashcard's "???" line, or a first line ending in
    /// '?'), stemmed.</summary>
    public float LeadWeight { get; init; } = 0.5f;

    /// <summary>Most distinct terms searched per field; a longer query keeps its rarest terms.</summary>
    public int MaxQueryTerms { get; init; } = 128;

    public static KeywordIndexOptions Default { get; } = new();
}
