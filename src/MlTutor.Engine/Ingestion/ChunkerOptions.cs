namespace MlTutor.Ingestion;

/// <summary>How large chunks may and should be, in encoder word pieces ([CLS] and [SEP] included).</summary>
public sealed record ChunkerOptions
{
    /// <summary>Hard limit: the encoder reads at most this many pieces, so no chunk's embedded text is longer.</summary>
    public int MaxPieces { get; init; } = 256;

    /// <summary>
    /// Consecutive small blocks of one section are packed together up to this size. Smaller chunks give sharper
    /// vectors, larger ones more context per hit; this is the knob retrieval quality is tuned with.
    /// </summary>
    public int TargetPieces { get; init; } = 230;

    /// <summary>At most this many pieces of the heading path go in front of a chunk (deeply nested notes have long paths).</summary>
    public int MaxHeadingPathPieces { get; init; } = 48;

    /// <summary>
    /// At most this many pieces of carried-over context (a flashcard question, a list's lead-in, a table's header row)
    /// go in front of a chunk that continues a block split for size.
    /// </summary>
    public int MaxContextPieces { get; init; } = 48;

    /// <summary>
    /// Consecutive sections of one topic (a parent and its children, or siblings) are packed into one chunk while
    /// together, heading path included, they stay within this many pieces (and within <see cref="TargetPieces"/>);
    /// 0 keeps every section apart. On the dev questions 180-200 gives the best ranking: smaller leaves two-line
    /// sections alone, larger blurs the vectors.
    /// </summary>
    public int MergeSectionsUpTo { get; init; } = 200;

    /// <summary>
    /// A single line longer than the encoder reads is embedded in consecutive parts of at most <see cref="MaxPieces"/>;
    /// past this many parts the rest of the line is left out, with a warning. A line that long (a pasted data dump,
    /// a minified file) is not prose a question is answered from, and would otherwise take minutes to embed.
    /// </summary>
    public int MaxLineParts { get; init; } = 100;

    internal void Validate()
    {
        if (MaxLineParts < 1) throw new ArgumentOutOfRangeException(nameof(MaxLineParts), MaxLineParts, "must be at least 1");
        if (MaxPieces < 16) throw new ArgumentOutOfRangeException(nameof(MaxPieces), MaxPieces, "must be at least 16");
        if (TargetPieces < 4 || TargetPieces > MaxPieces)
            throw new ArgumentOutOfRangeException(nameof(TargetPieces), TargetPieces, $"must be between 4 and MaxPieces ({MaxPieces})");
        if (MergeSectionsUpTo < 0) throw new ArgumentOutOfRangeException(nameof(MergeSectionsUpTo), MergeSectionsUpTo, "must not be negative");
        if (MaxHeadingPathPieces < 0 || MaxContextPieces < 0 || MaxHeadingPathPieces + MaxContextPieces > MaxPieces / 2)
            throw new ArgumentOutOfRangeException(nameof(MaxContextPieces), "heading path and context may take at most half of MaxPieces");
    }
}
