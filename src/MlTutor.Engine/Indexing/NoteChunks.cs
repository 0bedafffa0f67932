using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>The chunks of a corpus's notes for a new generation: an unchanged note keeps the chunks the previous generation
/// holds of it, every other note is chunked (and read first when its listing did not read it).</summary>
internal sealed class NoteChunks(string corpusDirectory, CorpusReader reader, Chunker chunker, List<IngestionWarning> warnings)
{
    /// <param name="unchanged">Notes whose content is what the previous generation holds of them.</param>
    /// <returns>Every note's chunks in the order of <paramref name="files"/>, the notes they came from, and how many notes
    /// were chunked anew.</returns>
    public (List<Chunk> Chunks, List<IndexedFile> Files, int Changed) Chunk(IReadOnlyList<NoteVersion> files, List<NoteVersion> unchanged,
        ReusableRows? previous, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        var keptByFile = previous?.Chunks.GroupBy(c => c.Chunk.File).ToDictionary(g => g.Key, g => g.Select(s => s.Chunk).ToList()) ?? [];
        var chunks = new List<Chunk>();
        var indexedFiles = new List<IndexedFile>();
        var changed = 0;
        for (var i = 0; i < files.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[i];
            progress?.Report(new IndexProgress("Chunking", i, files.Count));
            List<Chunk> fileChunks;
            if (unchanged.Contains(file) && keptByFile.TryGetValue(file.RelativePath, out var kept))
                fileChunks = kept;
            else if ((file.Read ?? reader.ReadFile(corpusDirectory, file.RelativePath, warnings)) is { } note)
            {
                fileChunks = [.. chunker.Chunk(note, warnings)];
                file = file with { ContentHash = note.ContentHash };
                changed++;
            }
            else continue; // gone or unreadable since it was listed: the warning says so
            chunks.AddRange(fileChunks);
            indexedFiles.Add(new IndexedFile(file.RelativePath, file.ContentHash, fileChunks.Count, file.Length, file.LastWriteUtc.Ticks));
        }
        return (chunks, indexedFiles, changed);
    }
}
