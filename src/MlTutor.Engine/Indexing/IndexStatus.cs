using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>Where a note stands with the index.</summary>
public enum NoteState
{
    /// <summary>In the index as it is on disk.</summary>
    Indexed,
    /// <summary>Changed since it was indexed: the next update embeds it again.</summary>
    Edited,
    /// <summary>Not indexed yet.</summary>
    New,
    /// <summary>Deleted from the notes, still in the index until the next update.</summary>
    Removed,
    /// <summary>Not read (not a regular file, binary, empty, too large…): see the reason.</summary>
    Skipped,
}

public sealed record NoteStatus(string File, NoteState State, int Chunks, string? Reason);

/// <summary>
/// What an index holds compared with the notes, without changing either: the published generation, when it was built,
/// its size on disk, and each note's state.
/// </summary>
/// <param name="Generation">The published generation's folder name, or null when there is none.</param>
/// <param name="SettingsChanged">The generation was built with other settings (model variant, chunking): the next update
/// rebuilds it whole.</param>
public sealed record IndexStatus(string Directory, string? Generation, DateTimeOffset? BuiltUtc, int Chunks, long BytesOnDisk,
    bool SettingsChanged, IReadOnlyList<NoteStatus> Notes)
{
    public bool UpToDate => Generation is not null && !SettingsChanged && Notes.All(n => n.State is NoteState.Indexed or NoteState.Skipped);

    /// <summary>Reads the notes (as an update would, hashing each) and the published generation's manifest and file list.</summary>
    public static IndexStatus Read(IndexFolder folder, IndexManifest settings, string corpusDirectory, CorpusReader reader)
    {
        var warnings = new List<IngestionWarning>();
        var notes = reader.ReadAll(corpusDirectory, warnings);
        var (generation, manifest, indexed) = ReadGeneration(folder);
        var statuses = new List<NoteStatus>();
        foreach (var note in notes)
        {
            var state = indexed.TryGetValue(note.RelativePath, out var file)
                ? file.ContentHash == note.ContentHash ? NoteState.Indexed : NoteState.Edited
                : NoteState.New;
            statuses.Add(new NoteStatus(note.RelativePath, state, file?.Chunks ?? 0, null));
        }
        var read = notes.Select(n => n.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var file in indexed.Values.Where(f => !read.Contains(f.Path)))
            statuses.Add(new NoteStatus(file.Path, NoteState.Removed, file.Chunks, null));
        // A warning about a note that was not read is why it was skipped; others (a file read as Latin-1) are not.
        foreach (var skipped in warnings.Where(w => !read.Contains(w.File)).GroupBy(w => w.File))
            statuses.Add(new NoteStatus(skipped.Key, NoteState.Skipped, 0, skipped.Last().Message));
        statuses.Sort((a, b) => string.CompareOrdinal(a.File, b.File));
        return new IndexStatus(folder.Directory, generation is null ? null : Path.GetFileName(generation), manifest?.CreatedUtc,
            manifest?.Chunks ?? 0, SizeOnDisk(folder.Directory), manifest is not null && !manifest.IsCompatibleWith(settings), statuses);
    }

    private static (string? Generation, IndexManifest? Manifest, Dictionary<string, IndexedFile> Files) ReadGeneration(IndexFolder folder)
    {
        try
        {
            if (folder.CurrentGeneration is not { } generation) return (null, null, []);
            var manifestPath = Path.Combine(generation, IndexManifest.FileName);
            var manifest = IndexManifest.Read(manifestPath);
            var files = ChunkStore.ReadFiles(Path.Combine(generation, ChunkStore.FileName)).ToDictionary(f => f.Path, StringComparer.Ordinal);
            return (generation, manifest, files);
        }
        catch (Exception e) when (e is IndexCorruptException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return (null, null, []); // nothing readable is published: every note shows as new
        }
    }

    private static long SizeOnDisk(string directory) =>
        System.IO.Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;
}
