namespace MlTutor.Indexing;

/// <summary>
/// The current generation as far as deciding whether it is up to date needs: its manifest, files with their hashes, row
/// counts and damage check. These are read before every question, so they never include the chunks and vectors (over
/// 150 MB at 10,000 chunks with their line windows): those are read by <see cref="ReadReusable"/> only for a build, or,
/// from a damaged store, salvaged (<see cref="Salvaged"/>) by the build that found the damage.
/// </summary>
/// <param name="Store">The generation's chunks.db.</param>
/// <param name="Chunks">How many chunks it holds.</param>
/// <param name="Damage">Why the generation's files cannot serve it (see <see cref="GenerationCheck"/>), or null. A damaged
/// generation is never "up to date", but its chunks and vectors are still reused: all of them when only the FAISS or keyword
/// files are damaged, what could be salvaged when chunks.db itself is.</param>
internal sealed record PreviousGeneration(IndexManifest Manifest, string Store, List<IndexedFile> Files, int Chunks, string? Damage)
{
    /// <summary>Whether every file of the generation was found to match its checksum when it was read (<c>index</c> checks
    /// them all): its FAISS files then need no second check before their vectors are reused.</summary>
    public bool FilesMatchChecksums { get; init; }

    /// <summary>What could still be read of a damaged store (<see cref="ChunkStore.Salvage"/>): what a rebuild then reuses,
    /// for their texts and vectors only. Such a generation lists no notes (<see cref="Files"/> is empty), so that every note
    /// is chunked again rather than any taken from rows of a damaged store. Null for a store that reads.</summary>
    public ReusableRows? Salvaged { get; init; }

    /// <summary>The generation's folder.</summary>
    public string Directory => Path.GetDirectoryName(Store)!;

    /// <summary>Whether the generation holds exactly <paramref name="files"/>, each with the content it has now.</summary>
    public bool Holds(IReadOnlyList<NoteVersion> files)
    {
        var indexed = Files.ToDictionary(f => f.Path, f => f.ContentHash);
        return indexed.Count == files.Count && files.All(f => indexed.GetValueOrDefault(f.RelativePath) == f.ContentHash);
    }

    /// <summary>What the generation holds for a build to reuse; null when its rows cannot be read.</summary>
    public ReusableRows? ReadReusable()
    {
        if (Salvaged is not null) return Salvaged;
        try
        {
            return ReadWithVectorsFromFaissOrNull() ?? new ReusableRows(ChunkStore.ReadChunks(Store), ChunkStore.ReadWindows(Store));
        }
        catch (IndexCorruptException)
        {
            return null; // nothing to reuse: every note is chunked and embedded again
        }
    }

    /// <summary>
    /// The rows with their vectors taken from the FAISS files, which hold them as one block each: far quicker to read than
    /// a vector per row from chunks.db. Only from files that match their checksums and hold every row in order; otherwise
    /// (a damaged generation, one without checksums) null, and the vectors come from chunks.db.
    /// </summary>
    private ReusableRows? ReadWithVectorsFromFaissOrNull()
    {
        try
        {
            return ReadWithVectorsFromFaiss();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // chunks.db holds them too
        }
    }

    private ReusableRows? ReadWithVectorsFromFaiss()
    {
        if (Damage is not null || Manifest.Checksums is not { } checksums
            || !checksums.ContainsKey(NotesIndex.VectorsFile) || !checksums.ContainsKey(NotesIndex.WindowsFile)
            || (!FilesMatchChecksums && GenerationCheck.FindChanged(Directory, checksums, [NotesIndex.VectorsFile, NotesIndex.WindowsFile]) is not null))
            return null;
        var chunks = ChunkStore.ReadChunksWithoutVectors(Store);
        var windows = ChunkStore.ReadWindowsWithoutVectors(Store);
        var chunkVectors = FaissFileLayout.ReadInIdOrder(Path.Combine(Directory, NotesIndex.VectorsFile), chunks.Count, Manifest.Dimension);
        var windowVectors = FaissFileLayout.ReadInIdOrder(Path.Combine(Directory, NotesIndex.WindowsFile), windows.Count, Manifest.Dimension);
        if (chunkVectors is null || windowVectors is null || windows.Any(w => w.Row < 0 || w.Row >= windowVectors.Length)) return null;
        return new ReusableRows(
            [.. chunks.Select((c, row) => new StoredChunk(row, c, chunkVectors[row]))],
            [.. windows.Select(w => new StoredWindow(w.Row, w.ChunkRow, w.Text, windowVectors[w.Row]))]);
    }
}

/// <summary>The chunks and line windows of the previous generation with their vectors, for a build to reuse.</summary>
internal sealed record ReusableRows(List<StoredChunk> Chunks, List<StoredWindow> Windows);
