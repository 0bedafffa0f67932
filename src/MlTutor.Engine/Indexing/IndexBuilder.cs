using System.Diagnostics;
using MlTutor.Embedding;
using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>
/// Builds the index of a corpus, re-embedding only what changed: files whose bytes are unchanged keep their chunks,
/// and any chunk whose embedded text is unchanged keeps its vector. Every build that changes anything writes a complete
/// new generation and publishes it atomically (see <see cref="IndexFolder"/>).
/// </summary>
public sealed class IndexBuilder(IndexFolder folder, Func<MiniLmEncoder> encoder, IndexManifest settings)
{
    private readonly GenerationReader _generations = new(folder, settings);

    /// <summary>Reads the notes, and builds or updates the index when they differ from what it holds.</summary>
    /// <param name="verifyContents">Check every byte of the current generation against its checksums, not only the
    /// layout of its files: what <c>index</c> does; before a question the files are checked as they are opened.</param>
    public IndexBuildReport BuildFromCorpus(string corpusDirectory, CorpusReader reader, Chunker chunker, bool rebuild = false,
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default, bool verifyContents = false)
    {
        var clock = Stopwatch.StartNew();
        var warnings = new List<IngestionWarning>();
        progress?.Report(new IndexProgress("Reading notes", 0, 1));
        var published = _generations.ReadPublished(verifyContents);
        var files = NoteVersion.ReadAll(corpusDirectory, reader, published, warnings);

        // Most calls (one before every question) find nothing changed: that is decided from the published generation
        // alone, without the writer's lock, so questions never wait for or fail because of a build in another process.
        if (!rebuild && files.Count > 0 && published is { Damage: null } && published.Holds(files))
            return new IndexBuildReport(true, files.Count, published.Chunks, 0, published.Chunks, 0, 0, 0, clock.Elapsed, warnings);

        using var writeLock = AcquireWriteLock(files);
        if (files.Count == 0)
            KeepIndexOfEmptyCorpus(corpusDirectory, warnings);
        var previous = _generations.ReadForBuild(rebuild, verifyContents, warnings, published);
        var previousFiles = previous?.Files.ToDictionary(f => f.Path) ?? [];
        var unchanged = files.Where(f => previousFiles.TryGetValue(f.RelativePath, out var p) && p.ContentHash == f.ContentHash).ToList();
        var removed = previousFiles.Keys.Except(files.Select(f => f.RelativePath)).Count();
        if (previous is { Damage: { } damage })
            warnings.Add(new IngestionWarning(folder.Directory, null, $"the index was damaged ({damage}): rebuilt from its stored vectors"));
        else if (previous != null && unchanged.Count == files.Count && removed == 0)
            return new IndexBuildReport(true, files.Count, previous.Chunks, 0, previous.Chunks, 0, 0, 0, clock.Elapsed, warnings);

        var stored = previous?.ReadReusable();
        var keptByFile = stored?.Chunks.GroupBy(c => c.Chunk.File).ToDictionary(g => g.Key, g => g.Select(s => s.Chunk).ToList()) ?? [];
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
        var report = Write(chunks, indexedFiles, stored, corpusDirectory, progress, cancellationToken);
        return report with { ChangedFiles = changed, RemovedFiles = removed, Elapsed = clock.Elapsed, Warnings = warnings };
    }

    /// <summary>
    /// Indexes ready-made passages (a benchmark's documents) with the same embedding, storage and keyword index as the notes.
    /// <paramref name="source"/> identifies their content (e.g. a hash of the file they came from): an index built from the
    /// same source with the same settings is reused as it is.
    /// </summary>
    public IndexBuildReport BuildFromChunks(IReadOnlyList<Chunk> chunks, string source, IProgress<IndexProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var writeLock = folder.AcquireWriteLock();
        var previous = _generations.ReadForBuild(rebuild: false, verifyContents: false, []);
        if (previous is { Damage: null } && previous.Manifest.Source == source && previous.Chunks == chunks.Count)
            return new IndexBuildReport(true, previous.Files.Count, chunks.Count, 0, chunks.Count, 0, 0, 0, clock.Elapsed, []);
        var files = chunks.GroupBy(c => c.File).Select(g => new IndexedFile(g.Key, ChunkStore.EmbeddedHash(string.Concat(g.Select(c => c.Id))), g.Count())).ToList();
        var report = Write(chunks, files, previous?.ReadReusable(), source, progress, cancellationToken);
        return report with { Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// The folder's writer lock. A folder that cannot be written (such as a shared, read-only copy of an index) can still be
    /// read, so the refusal says how its index compares with <paramref name="files"/>: a question can be answered from it.
    /// </summary>
    private IDisposable AcquireWriteLock(IReadOnlyList<NoteVersion> files)
    {
        try
        {
            return folder.AcquireWriteLock();
        }
        catch (IndexReadOnlyException e)
        {
            var (freshness, changes) = _generations.CompareWithNotes(files);
            throw e.ComparedWithNotes(freshness, changes);
        }
    }

    /// <summary>
    /// A folder without notes is far more often a typo or an unmounted drive than a wish to forget every note: the index
    /// (minutes of embedding for real notes) is kept, and emptying it takes a deliberate step. Without an index to keep,
    /// the empty corpus is only a warning.
    /// </summary>
    private void KeepIndexOfEmptyCorpus(string corpusDirectory, List<IngestionWarning> warnings)
    {
        var kept = _generations.IndexedNoteCount();
        var extensions = string.Join(", ", CorpusReader.NoteExtensions);
        // Notes that are there but were all skipped (too large, binary, unreadable) say why in their warnings.
        var found = warnings.Count == 0 ? $"no notes ({extensions})"
            : $"no readable notes (e.g. {warnings[0]})";
        if (kept > 0)
            throw new EmptyCorpusException($"{found} in {corpusDirectory}; the index of {kept} {(kept == 1 ? "note" : "notes")} in {folder.Directory} was kept. "
                + $"Check the folder, or to empty the index delete {folder.Directory}");
        warnings.Add(new IngestionWarning(corpusDirectory, null, $"no notes ({extensions}) found"));
    }

    private IndexBuildReport Write(IReadOnlyList<Chunk> chunks, IReadOnlyList<IndexedFile> files, ReusableRows? previous, string source,
        IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        // Vectors of unchanged texts are reused; only the rest go to the encoder, chunks and their line windows in one pass.
        var cache = new Dictionary<string, float[]>();
        foreach (var s in previous?.Chunks ?? [])
            cache.TryAdd(ChunkStore.EmbeddedHash(s.Chunk.EmbeddedText), s.Vector);
        foreach (var w in previous?.Windows ?? [])
            cache.TryAdd(ChunkStore.EmbeddedHash(w.Text), w.Vector);
        var windowTexts = new List<string>();
        var windowChunks = new List<int>();
        for (var i = 0; i < chunks.Count; i++)
            foreach (var text in LineWindows.Of(chunks[i].Text))
            {
                windowTexts.Add(text);
                windowChunks.Add(i);
            }
        var texts = chunks.Select(c => c.EmbeddedText).Concat(windowTexts).ToList();
        var vectors = new float[texts.Count][];
        var toEmbed = new List<int>();
        var pending = new Dictionary<string, int>();
        for (var i = 0; i < texts.Count; i++)
        {
            var hash = ChunkStore.EmbeddedHash(texts[i]);
            if (cache.TryGetValue(hash, out var v)) vectors[i] = v;
            else if (pending.TryAdd(hash, i)) toEmbed.Add(i);
        }
        RequireRoomFor(texts);
        long pieces = 0;
        if (toEmbed.Count > 0)
        {
            var batch = toEmbed.Select(i => texts[i]).ToList();
            progress?.Report(new IndexProgress("Embedding", 0, batch.Count));
            var embedded = encoder().Embed(batch, new SyncProgress(n => progress?.Report(new IndexProgress("Embedding", n, batch.Count))), cancellationToken);
            for (var j = 0; j < toEmbed.Count; j++) vectors[toEmbed[j]] = embedded[j];
            pieces = toEmbed.Where(i => i < chunks.Count).Sum(i => (long)Math.Min(chunks[i].Tokens, MiniLmTokenizer.MaxPieces));
        }
        // A text repeated within this build was embedded once.
        for (var i = 0; i < texts.Count; i++)
            vectors[i] ??= vectors[pending[ChunkStore.EmbeddedHash(texts[i])]];
        var embeddedChunks = toEmbed.Count(i => i < chunks.Count);

        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new IndexProgress("Writing index", 0, 1));
        var generation = folder.CreateGeneration();
        try
        {
            var stored = chunks.Select((c, i) => new StoredChunk(i, c, vectors[i])).ToList();
            var windows = windowTexts.Select((t, j) => new StoredWindow(j, windowChunks[j], t, vectors[chunks.Count + j])).ToList();
            ChunkStore.Write(Path.Combine(generation, ChunkStore.FileName), stored, files, windows);
            SaveFaiss(Path.Combine(generation, NotesIndex.VectorsFile), vectors.Take(chunks.Count).ToList());
            SaveFaiss(Path.Combine(generation, NotesIndex.WindowsFile), vectors.Skip(chunks.Count).ToList());
            KeywordIndex.Build(Path.Combine(generation, NotesIndex.KeywordFolder), chunks);
            var manifest = settings with
            {
                Source = source, Files = files.Count, Chunks = chunks.Count, CreatedUtc = DateTimeOffset.UtcNow,
                Checksums = GenerationCheck.Checksums(generation),
            };
            WriteDurably(Path.Combine(generation, IndexManifest.FileName), manifest.ToJson());
            folder.Publish(generation);
        }
        catch (Exception e)
        {
            try { Directory.Delete(generation, recursive: true); } catch (IOException) { }
            if (IndexWriteException.IsOutOfSpace(e))
                throw new IndexWriteException(folder, "the disk is full", e);
            throw;
        }
        progress?.Report(new IndexProgress("Writing index", 1, 1));
        return new IndexBuildReport(false, files.Count, chunks.Count, embeddedChunks, chunks.Count - embeddedChunks, 0, 0, pieces, TimeSpan.Zero, []);
    }

    /// <summary>
    /// Stops before embedding when the disk plainly cannot hold the new generation: every vector is written twice (chunks.db
    /// and a FAISS file) and every text at least once in chunks.db and once in the keyword index. Finding out only when the
    /// write fails would cost the whole embedding first.
    /// </summary>
    private void RequireRoomFor(IReadOnlyList<string> texts)
    {
        long free;
        try
        {
            free = new DriveInfo(folder.Directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // the system cannot say: the write itself will tell
        }
        var needed = texts.Count * (long)settings.Dimension * sizeof(float) * 2 + texts.Sum(t => (long)t.Length) * 2;
        if (free < needed)
            throw new IndexWriteException(folder, $"the disk has {Megabytes(free)} free and the new index needs at least {Megabytes(needed)}", null);
    }

    private static string Megabytes(long bytes) => $"{bytes / 1e6:0.0} MB";

    private void SaveFaiss(string path, IReadOnlyList<float[]> rows)
    {
        using var faiss = FaissIndex.CreateInnerProduct(settings.Dimension);
        var flat = new float[rows.Count * settings.Dimension];
        for (var i = 0; i < rows.Count; i++) rows[i].CopyTo(flat, i * settings.Dimension);
        if (rows.Count > 0) faiss.Add(Enumerable.Range(0, rows.Count).Select(i => (long)i).ToArray(), flat);
        faiss.Save(path);
    }

    private static void WriteDurably(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and arrive late).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
