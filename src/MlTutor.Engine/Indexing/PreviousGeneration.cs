namespace MlTutor.Indexing;

/// <summary>
/// The current generation as far as deciding whether it is up to date needs: its manifest, files with their hashes, row
/// counts and damage check. These are read before every question, so they never include the chunks and vectors (over
/// 150 MB at 10,000 chunks with their line windows): those are read by <see cref="ReadReusable"/> only for a build.
/// </summary>
/// <param name="Store">The generation's chunks.db.</param>
/// <param name="Chunks">How many chunks it holds.</param>
/// <param name="Damage">Why the generation's FAISS or keyword files cannot serve it (see <see cref="GenerationCheck"/>), or null.
/// A damaged generation is never "up to date", but its chunks and vectors are still reused.</param>
internal sealed record PreviousGeneration(IndexManifest Manifest, string Store, List<IndexedFile> Files, int Chunks, string? Damage)
{
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
        try
        {
            return new ReusableRows(ChunkStore.ReadChunks(Store), ChunkStore.ReadWindows(Store));
        }
        catch (IndexCorruptException)
        {
            return null; // nothing to reuse: every note is chunked and embedded again
        }
    }
}

/// <summary>The chunks and line windows of the previous generation with their vectors, for a build to reuse.</summary>
internal sealed record ReusableRows(List<StoredChunk> Chunks, List<StoredWindow> Windows);
