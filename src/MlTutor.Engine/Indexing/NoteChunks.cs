using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>The chunks of a corpus's notes for a new generation: an unchanged note keeps the chunks the previous generation
/// holds of it, every other note is chunked (and read first when its listing did not read it).</summary>
internal sealed class NoteChunks(string corpusDirectory, CorpusReader reader, Chunker chunker, List<IngestionWarning> warnings)
{
    /// <param name="unchanged">Notes whose content is what the previous generation holds of them.</param>
    /// <param name="previous">The previous generation's rows, still being read when this is called: the changed notes are
    /// chunked first, meanwhile, and the rows waited for only to take the unchanged notes' chunks from them.</param>
    /// <returns>Every note's chunks in the order of <paramref name="files"/>, the notes they came from, and how many notes
    /// were chunked anew.</returns>
    public (List<Chunk> Chunks, List<IndexedFile> Files, int Changed) Chunk(IReadOnlyList<NoteVersion> files, List<NoteVersion> unchanged,
        Task<ReusableRows?> previous, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        var chunkedAnew = new Dictionary<NoteVersion, (NoteVersion File, List<Chunk> Chunks)?>();
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new IndexProgress("Chunking", i, files.Count));
            if (!unchanged.Contains(files[i])) chunkedAnew[files[i]] = ChunkAnew(files[i]);
        }
        var keptByFile = previous.GetAwaiter().GetResult()?.Chunks
            .GroupBy(c => c.Chunk.File).ToDictionary(g => g.Key, g => g.Select(s => s.Chunk).ToList()) ?? [];

        var chunks = new List<Chunk>();
        var indexedFiles = new List<IndexedFile>();
        foreach (var listed in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // An unchanged note whose rows could not be read is chunked again.
            var note = chunkedAnew.TryGetValue(listed, out var anew) ? anew
                : keptByFile.TryGetValue(listed.RelativePath, out var kept) ? (listed, kept)
                : chunkedAnew[listed] = ChunkAnew(listed);
            if (note is not { } found) continue; // gone or unreadable since it was listed: the warning says so
            var (file, fileChunks) = found;
            chunks.AddRange(fileChunks);
            indexedFiles.Add(Indexed(file, fileChunks.Count));
        }
        return (chunks, indexedFiles, chunkedAnew.Count(c => c.Value is not null));
    }

    /// <summary>
    /// The notes of a new generation written as an update of the last one (<paramref name="kept"/>, where each note's rows
    /// lie in it): an unchanged note keeps its rows there, unread; every other note is chunked. A note gone or unreadable
    /// since it was listed is left out (its warning says so).
    /// </summary>
    public (List<NoteInBuild> Notes, int Changed) ChunkChanged(IReadOnlyList<NoteVersion> files, IReadOnlySet<NoteVersion> unchanged,
        IReadOnlyDictionary<string, NoteRows> kept, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        var notes = new List<NoteInBuild>(files.Count);
        var changed = 0;
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var listed = files[i];
            if (unchanged.Contains(listed))
            {
                var rows = kept[listed.RelativePath];
                notes.Add(new NoteInBuild(Indexed(listed, rows.Chunks), rows, null));
                continue;
            }
            progress?.Report(new IndexProgress("Chunking", i, files.Count));
            if (ChunkAnew(listed) is not { } found) continue;
            var (file, chunks) = found;
            notes.Add(new NoteInBuild(Indexed(file, chunks.Count), null, chunks));
            changed++;
        }
        return (notes, changed);
    }

    private static IndexedFile Indexed(NoteVersion file, int chunks) =>
        new(file.RelativePath, file.ContentHash, chunks, file.Length, file.LastWriteUtc.Ticks);

    /// <summary>The note's chunks, and the note with the hash of the content chunked; null when it is gone or unreadable.</summary>
    private (NoteVersion File, List<Chunk> Chunks)? ChunkAnew(NoteVersion file) =>
        (file.Read ?? reader.ReadFile(corpusDirectory, file.RelativePath, warnings)) is { } note
            ? (file with { ContentHash = note.ContentHash }, [.. chunker.Chunk(note, warnings)])
            : null;
}

/// <summary>A note of a new generation written as an update of the last one: kept as the last generation holds it (its
/// rows there, <paramref name="Kept"/>), or chunked anew (<paramref name="Chunks"/>).</summary>
internal sealed record NoteInBuild(IndexedFile File, NoteRows? Kept, IReadOnlyList<Chunk>? Chunks);
