namespace MlTutor.Ingestion;

/// <summary>
/// A run of a chunk's lines and what it is, as ingestion read it, so that later stages need not parse the text again.
/// Lines are 0-based indices into the chunk's <see cref="Chunk.Text"/> split at '\n', as <c>NoteSentence</c> counts them.
/// </summary>
/// <param name="LastLine">Inclusive.</param>
public sealed record ChunkBlock(BlockKind Kind, int FirstLine, int LastLine, BlockRole Role = BlockRole.None);
