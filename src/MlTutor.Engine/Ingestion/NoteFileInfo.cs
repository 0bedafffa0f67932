namespace MlTutor.Ingestion;

/// <summary>A note file as listed (not read): enough to tell whether it changed since the last indexing.</summary>
/// <param name="RelativePath">Path relative to the corpus folder, with '/' separators.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastWriteUtc">Last modification time (UTC).</param>
public sealed record NoteFileInfo(string RelativePath, long Length, DateTime LastWriteUtc);
