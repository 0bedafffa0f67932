namespace MlTutor.Ingestion;

/// <summary>A note file as read from disk: decoded text plus the hash of its bytes (what re-indexing compares).</summary>
/// <param name="RelativePath">Path relative to the corpus folder, with '/' separators.</param>
/// <param name="Text">The decoded text, line endings as in the file.</param>
/// <param name="ContentHash">Lower-case hex SHA-256 of the file's bytes.</param>
public sealed record NoteFile(string RelativePath, string Text, string ContentHash);
