using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>A note as a build sees it: its content hash, and its text when it had to be read.</summary>
/// <param name="Length">Size and <paramref name="LastWriteUtc"/> time of last change, as listed before it was read.</param>
/// <param name="Read">The note read; null when its size and time showed it unchanged since the last build.</param>
internal sealed record NoteVersion(string RelativePath, string ContentHash, long Length, DateTime LastWriteUtc, NoteFile? Read)
{
    /// <summary>
    /// The notes as they are now. A note whose size and time of last change are those recorded when <paramref name="known"/>
    /// was built is not read: its content is the one recorded then. Every other note is read and hashed. A note changed
    /// within a moment of that build could keep both (the clock's resolution), so those are always read.
    /// </summary>
    /// <param name="touched">Notes recorded since that build with a new size or time and the content they had then (see
    /// <see cref="TouchedNotes"/>), recorded only once their time had settled.</param>
    public static List<NoteVersion> ReadAll(string corpusDirectory, CorpusReader reader, PreviousGeneration? known,
        IReadOnlyDictionary<string, IndexedFile> touched, List<IngestionWarning> warnings)
    {
        var recorded = known?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];
        var settled = known?.Manifest.CreatedUtc.UtcDateTime.AddSeconds(-2) ?? DateTime.MinValue;
        var notes = new List<NoteVersion>();
        foreach (var info in reader.List(corpusDirectory, warnings))
        {
            if (KnownContent(info) is { } hash)
                notes.Add(new NoteVersion(info.RelativePath, hash, info.Length, info.LastWriteUtc, null));
            else if (reader.ReadFile(corpusDirectory, info.RelativePath, warnings) is { } read)
                notes.Add(new NoteVersion(info.RelativePath, read.ContentHash, info.Length, info.LastWriteUtc, read));
        }
        return notes;

        string? KnownContent(NoteFileInfo info)
        {
            // A note over the size limit is read, to be skipped with the reason, as it is when the limit was lowered.
            if (info.Length > reader.MaxFileBytes) return null;
            if (recorded.TryGetValue(info.RelativePath, out var file) && Matches(file, info) && info.LastWriteUtc < settled) return file.ContentHash;
            return touched.TryGetValue(info.RelativePath, out var seen) && Matches(seen, info) ? seen.ContentHash : null;
        }
    }

    private static bool Matches(IndexedFile file, NoteFileInfo info) =>
        file.Length == info.Length && file.LastWriteUtcTicks == info.LastWriteUtc.Ticks;
}
