namespace MlTutor.Ingestion;

/// <summary>
/// One retrievable unit of the notes. <see cref="Text"/> is exactly the file's lines
/// <see cref="StartLine"/>..<see cref="EndLine"/> (1-based, inclusive), so a citation shows what is really there; only a
/// part of a single line too long for the encoder cites that whole line while its text is its own stretch of it;
/// <see cref="EmbeddedText"/> is what the encoder saw (it may carry the heading path or a flashcard question as context).
/// </summary>
/// <param name="Id">Stable id: the same file content always yields the same ids.</param>
/// <param name="File">Path relative to the corpus folder, with '/' separators.</param>
/// <param name="HeadingPath">Headings above the chunk joined by " › " (document title first when known).</param>
/// <param name="Tokens">Word pieces fed to the encoder, [CLS] and [SEP] included.</param>
/// <param name="BlankLinesAfter">How many empty lines follow the chunk in its note before the next other line (or the
/// end); null when unknown or when <see cref="Text"/> is not whole lines (a part of an over-long line). Retrieval joins a
/// chunk with the one starting right after those empty lines into one passage whose text is still exactly the note's
/// lines (see <see cref="Retrieval.PassageJoiner"/>).</param>
/// <param name="Structure">Its blocks and items as ingestion read them from the note; null when unknown (passages that
/// did not come from notes, such as a benchmark's documents).</param>
public sealed record Chunk(
    string Id,
    string File,
    string HeadingPath,
    int StartLine,
    int EndLine,
    string Text,
    string EmbeddedText,
    int Tokens,
    int? BlankLinesAfter = null,
    ChunkStructure? Structure = null)
{
    /// <summary>
    /// The stable id of the section, flashcard or Q/A pair the chunk opens in (see <see cref="ChunkStructure.ItemId"/>):
    /// unlike <see cref="Id"/>, it stays the same when the note is cut differently or edited elsewhere.
    /// </summary>
    public string? ItemId => Structure?.ItemId;

    /// <summary>
    /// The headings above line <paramref name="line"/> of <see cref="Text"/> (0-based): those of the innermost section
    /// holding it, which in a passage of several sections may lie below <see cref="HeadingPath"/>; the chunk's own when
    /// its structure is unknown.
    /// </summary>
    public string HeadingPathAt(int line) =>
        Structure?.Items.LastOrDefault(i => i.Kind == ItemKind.Section && i.FirstLine <= line && line <= i.LastLine)?.HeadingPath
        is { Length: > 0 } heading ? heading : HeadingPath;
}
