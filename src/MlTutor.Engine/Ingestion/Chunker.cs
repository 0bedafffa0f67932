namespace MlTutor.Ingestion;

/// <summary>
/// Cuts a note into chunks along its own structure (headings, flashcards, lists with their lead-in, paragraphs,
/// tables, code, formulas) so that every chunk fits the encoder and stands on its own, and hands that structure on with
/// each chunk (<see cref="Chunk.Structure"/>), its sections, flashcards and Q/A pairs named by stable ids. Markdown is
/// read with Markdig; <c>.txt</c> notes by blank lines and title-like lines.
/// </summary>
public sealed class Chunker
{
    private readonly Func<string, int> _countPieces;

    /// <param name="countPieces">Word pieces the encoder makes of a text, [CLS] and [SEP] included, not truncated.</param>
    /// <param name="options">Sizes; defaults to at most 256 pieces per chunk, packing to about 230.</param>
    public Chunker(Func<string, int> countPieces, ChunkerOptions? options = null)
    {
        _countPieces = countPieces ?? throw new ArgumentNullException(nameof(countPieces));
        Options = options ?? new ChunkerOptions();
        Options.Validate();
    }

    public ChunkerOptions Options { get; }

    /// <summary>
    /// Changes whenever the same note and options would be cut differently, or its chunks would carry another structure.
    /// An index records it (with the options) and re-chunks every note when it differs, since the chunks of unchanged
    /// files are otherwise reused as they are. 6: chunks carry their blocks and items; 7: a card's question starts at its
    /// last paragraph and a heading ends a card; 8: a question's item carries the key points of its answer; 9: a lead-in
    /// and the formula after it are one claim across any number of empty lines; 10: an answer's "A:" label is not part of
    /// its words; 11: a display formula is kept with the text that introduces it, and a title line with what it titles;
    /// 12: any block ending in a lead-in is kept with what follows.
    /// Key points are read by <see cref="NoteSentenceSplitter"/>, <see cref="QuotableUnits"/> and <see cref="NoteClaims"/>:
    /// a change there that gives other key points needs a new version too.
    /// </summary>
    public const int Version = 12;

    /// <summary>
    /// The chunks of one note, in line order. Each chunk's <see cref="Chunk.Text"/> is exactly the note's lines
    /// StartLine..EndLine joined with "\n" (a part of one over-long line: its stretch of that line); its
    /// <see cref="Chunk.Tokens"/> never exceed <see cref="ChunkerOptions.MaxPieces"/>.
    /// Anything handled specially (an over-long line, a table too large to keep whole) is reported in <paramref name="warnings"/>.
    /// </summary>
    public IReadOnlyList<Chunk> Chunk(NoteFile file, ICollection<IngestionWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(file);
        var lines = NoteLines.Split(file.Text);
        if (lines.Length == 0) return [];
        IReadOnlyList<OutlineSection> sections;
        string? title;
        if (IsPlainText(file.RelativePath))
        {
            (title, sections) = PlainTextOutline.Build(lines);
        }
        else
        {
            try
            {
                (title, sections) = MarkdownOutline.Build(lines, file.RelativePath, warnings);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Markdig copes with nearly anything; should it not, the note is still worth reading as plain text.
                warnings.Add(new IngestionWarning(file.RelativePath, null, $"could not be read as markdown ({e.Message}); read as plain text"));
                (title, sections) = PlainTextOutline.Build(lines);
            }
        }
        QaPairs.Mark(sections, lines);
        ItemIds.Assign(file.RelativePath, sections);
        return ItemKeyPoints.Attach(new ChunkPacker(_countPieces, Options, file.RelativePath, lines, warnings).Pack(sections, title));
    }

    private static bool IsPlainText(string path) => path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);
}
