using System.Text.Json;

namespace MlTutor.Indexing;

/// <summary>
/// Notes whose size or time of last change moved since the published generation recorded them while their content stayed
/// the same (a checkout, a touch, an editor saving without a change): their new size and time with their content hash,
/// kept in the index folder beside the generations, so that the next check knows them without reading them again and no
/// generation is written for them. Nothing here is needed: a missing, unreadable or unwritable file only means that
/// those notes are read once more.
/// </summary>
internal static class TouchedNotes
{
    public const string FileName = "touched-notes.json";

    private sealed record Entry(long Length, long LastWriteUtcTicks, string ContentHash);

    /// <summary>The notes recorded as touched, as indexed files (no chunk count).</summary>
    public static Dictionary<string, IndexedFile> Read(IndexFolder folder)
    {
        try
        {
            var entries = JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(Path.Combine(folder.Directory, FileName)));
            return entries?.Where(e => e.Value?.ContentHash is not null)
                       .ToDictionary(e => e.Key, e => new IndexedFile(e.Key, e.Value.ContentHash, 0, e.Value.Length, e.Value.LastWriteUtcTicks), StringComparer.Ordinal)
                   ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// Records the notes of <paramref name="notes"/> that had to be read although the generation holds their content, once
    /// their time of last change is far enough in the past that a later change would move it (the clock's resolution),
    /// with the <paramref name="touched"/> records still true. Writes only when that adds something.
    /// </summary>
    public static void Record(IndexFolder folder, IReadOnlyList<NoteVersion> notes, IReadOnlyDictionary<string, IndexedFile> touched)
    {
        var settled = DateTime.UtcNow.AddSeconds(-2);
        var fresh = notes.Where(n => n.Read is not null && n.LastWriteUtc < settled).ToList();
        if (fresh.Count == 0 || !File.Exists(Path.Combine(folder.Directory, IndexFolder.MarkerFile))) return;
        var entries = notes
            .Where(n => n.Read is null && touched.TryGetValue(n.RelativePath, out var t) && t.Length == n.Length && t.LastWriteUtcTicks == n.LastWriteUtc.Ticks)
            .Concat(fresh)
            .ToDictionary(n => n.RelativePath, n => new Entry(n.Length, n.LastWriteUtc.Ticks, n.ContentHash), StringComparer.Ordinal);
        try
        {
            AtomicFile.WriteAllText(Path.Combine(folder.Directory, FileName), JsonSerializer.Serialize(entries));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only index, or another process recording at the same moment: those notes are read again next time.
        }
    }
}
