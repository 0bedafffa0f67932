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
    /// <summary>Reads the notes, and builds or updates the index when they differ from what it holds.</summary>
    /// <param name="verifyContents">Check every byte of the current generation against its checksums, not only the
    /// layout of its files: what <c>index</c> does; before a question the files are checked as they are opened.</param>
    public IndexBuildReport BuildFromCorpus(string corpusDirectory, CorpusReader reader, Chunker chunker, bool rebuild = false,
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default, bool verifyContents = false)
    {
        var clock = Stopwatch.StartNew();
        var warnings = new List<IngestionWarning>();
        progress?.Report(new IndexProgress("Reading notes", 0, 1));
        var published = ReadPrevious(verifyContents);
        var files = ReadNotes(corpusDirectory, reader, published, warnings);

        // Most calls (one before every question) find nothing changed: that is decided from the published generation
        // alone, without the writer's lock, so questions never wait for or fail because of a build in another process.
        if (!rebuild && files.Count > 0 && published is { Damage: null } && IsUpToDate(published, files))
            return new IndexBuildReport(true, files.Count, published.Chunks, 0, published.Chunks, 0, 0, 0, clock.Elapsed, warnings);

        using var writeLock = AcquireWriteLock(files);
        if (files.Count == 0)
        {
            // A folder without notes is far more often a typo or an unmounted drive than a wish to forget every note:
            // the index (minutes of embedding for real notes) is kept, and emptying it takes a deliberate step.
            var kept = IndexedNoteCount();
            var extensions = string.Join(", ", CorpusReader.NoteExtensions);
            // Notes that are there but were all skipped (too large, binary, unreadable) say why in their warnings.
            var found = warnings.Count == 0 ? $"no notes ({extensions})"
                : $"no readable notes (e.g. {warnings[0]})";
            if (kept > 0)
                throw new EmptyCorpusException($"{found} in {corpusDirectory}; the index of {kept} {(kept == 1 ? "note" : "notes")} in {folder.Directory} was kept. "
                    + $"Check the folder, or to empty the index delete {folder.Directory}");
            warnings.Add(new IngestionWarning(corpusDirectory, null, $"no notes ({extensions}) found"));
        }
        var previous = LoadPrevious(rebuild, verifyContents, warnings, published);
        var previousFiles = previous?.Files.ToDictionary(f => f.Path) ?? [];
        var unchanged = files.Where(f => previousFiles.TryGetValue(f.RelativePath, out var p) && p.ContentHash == f.ContentHash).ToList();
        var removed = previousFiles.Keys.Except(files.Select(f => f.RelativePath)).Count();
        if (previous is { Damage: { } damage })
            warnings.Add(new IngestionWarning(folder.Directory, null, $"the index was damaged ({damage}): rebuilt from its stored vectors"));
        else if (previous != null && unchanged.Count == files.Count && removed == 0)
            return new IndexBuildReport(true, files.Count, previous.Chunks, 0, previous.Chunks, 0, 0, 0, clock.Elapsed, warnings);

        var stored = ReadStored(previous);
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
        var previous = LoadPrevious(rebuild: false, verifyContents: false, []);
        if (previous is { Damage: null } && previous.Manifest.Source == source && previous.Chunks == chunks.Count)
            return new IndexBuildReport(true, previous.Files.Count, chunks.Count, 0, chunks.Count, 0, 0, 0, clock.Elapsed, []);
        var files = chunks.GroupBy(c => c.File).Select(g => new IndexedFile(g.Key, ChunkStore.EmbeddedHash(string.Concat(g.Select(c => c.Id))), g.Count())).ToList();
        var report = Write(chunks, files, ReadStored(previous), source, progress, cancellationToken);
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
            var (freshness, changes) = CompareWithNotes(files);
            throw e.ComparedWithNotes(freshness, changes);
        }
    }

    /// <summary>How the current generation compares with <paramref name="files"/>, and what changed, reading the folder only.</summary>
    private (IndexFreshness Freshness, string? Changes) CompareWithNotes(IReadOnlyList<NoteVersion> files)
    {
        try
        {
            var generation = folder.CurrentGeneration;
            var manifestPath = generation is null ? null : Path.Combine(generation, IndexManifest.FileName);
            if (manifestPath is null || !File.Exists(manifestPath)) return (IndexFreshness.NoIndex, null);
            var manifest = IndexManifest.Read(manifestPath);
            if (!manifest.IsCompatibleWith(settings))
                return (IndexFreshness.OutOfDate, "it was built with other settings: another model variant or chunking");
            var indexed = ChunkStore.ReadFiles(Path.Combine(generation!, ChunkStore.FileName)).ToDictionary(f => f.Path, f => f.ContentHash);
            var added = files.Count(f => !indexed.ContainsKey(f.RelativePath));
            var changed = files.Count(f => indexed.TryGetValue(f.RelativePath, out var hash) && hash != f.ContentHash);
            var removed = indexed.Count - (files.Count - added);
            if (added + changed + removed == 0) return (IndexFreshness.UpToDate, null);
            var counts = new[] { (changed, "edited"), (added, "added"), (removed, "removed") }.Where(c => c.Item1 > 0).Select(c => $"{c.Item1} {c.Item2}");
            return (IndexFreshness.OutOfDate, $"notes changed since it was built: {string.Join(", ", counts)}");
        }
        catch (Exception e) when (e is IndexCorruptException or System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            return (IndexFreshness.NoIndex, null); // nothing readable to answer from
        }
    }

    /// <summary>
    /// The current generation as far as deciding whether it is up to date needs: its manifest, files with their hashes, row
    /// counts and damage check. These are read before every question, so they never include the chunks and vectors (over
    /// 150 MB at 10,000 chunks with their line windows): those are read by <see cref="ReadStored"/> only for a build.
    /// </summary>
    /// <param name="Store">The generation's chunks.db.</param>
    /// <param name="Chunks">How many chunks it holds.</param>
    /// <param name="Damage">Why the generation's FAISS or keyword files cannot serve it (see <see cref="GenerationCheck"/>), or null.
    /// A damaged generation is never "up to date", but its chunks and vectors are still reused.</param>
    private sealed record Previous(IndexManifest Manifest, string Store, List<IndexedFile> Files, int Chunks, string? Damage);

    /// <summary>The chunks and line windows of the previous generation with their vectors, for a build to reuse.</summary>
    private sealed record Stored(List<StoredChunk> Chunks, List<StoredWindow> Windows);

    /// <summary>
    /// The notes as they are now. A note whose size and time of last change are those recorded when <paramref name="known"/>
    /// was built is not read: its content is the one recorded then. Every other note is read and hashed. A note changed
    /// within a moment of that build could keep both (the clock's resolution), so those are always read.
    /// </summary>
    private static List<NoteVersion> ReadNotes(string corpusDirectory, CorpusReader reader, Previous? known, List<IngestionWarning> warnings)
    {
        var recorded = known?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];
        var settled = known?.Manifest.CreatedUtc.UtcDateTime.AddSeconds(-2) ?? DateTime.MinValue;
        var notes = new List<NoteVersion>();
        foreach (var info in reader.List(corpusDirectory, warnings))
        {
            // A note over the size limit is read, to be skipped with the reason, as it is when the limit was lowered.
            if (recorded.TryGetValue(info.RelativePath, out var file) && file.Length == info.Length && info.Length <= reader.MaxFileBytes
                && file.LastWriteUtcTicks == info.LastWriteUtc.Ticks && info.LastWriteUtc < settled)
                notes.Add(new NoteVersion(info.RelativePath, file.ContentHash, info.Length, info.LastWriteUtc, null));
            else if (reader.ReadFile(corpusDirectory, info.RelativePath, warnings) is { } read)
                notes.Add(new NoteVersion(info.RelativePath, read.ContentHash, info.Length, info.LastWriteUtc, read));
        }
        return notes;
    }

    /// <summary>A note as a build sees it: its content hash, and its text when it had to be read.</summary>
    /// <param name="Length">Size and <paramref name="LastWriteUtc"/> time of last change, as listed before it was read.</param>
    /// <param name="Read">The note read; null when its size and time showed it unchanged since the last build.</param>
    private sealed record NoteVersion(string RelativePath, string ContentHash, long Length, DateTime LastWriteUtc, NoteFile? Read);

    private static bool IsUpToDate(Previous previous, IReadOnlyList<NoteVersion> files)
    {
        var indexed = previous.Files.ToDictionary(f => f.Path, f => f.ContentHash);
        return indexed.Count == files.Count && files.All(f => indexed.GetValueOrDefault(f.RelativePath) == f.ContentHash);
    }

    /// <summary>
    /// The generation a build starts from, with the writer's lock held: the current one, after removing every other
    /// generation of ours. A damaged CURRENT loses nothing: the newest complete generation is taken instead, and CURRENT
    /// pointed at it again.
    /// </summary>
    /// <param name="published">The generation as read before the lock, reused when it is still the current one rather
    /// than read (and, for <c>index</c>, its every byte checked) again.</param>
    private Previous? LoadPrevious(bool rebuild, bool verifyContents, List<IngestionWarning> warnings, Previous? published = null)
    {
        string? generation;
        try
        {
            generation = folder.CurrentGeneration;
        }
        catch (IndexCorruptException)
        {
            generation = folder.NewestCompleteGeneration();
            if (generation is not null)
            {
                folder.Publish(generation);
                warnings.Add(new IngestionWarning(folder.Directory, null,
                    $"CURRENT named no complete generation: the newest complete generation, {Path.GetFileName(generation)}, is current again"));
            }
        }
        folder.RemoveGenerationsExcept(generation is null ? null : Path.GetFileName(generation));
        if (rebuild || generation is null) return null;
        return published is not null && Path.GetDirectoryName(published.Store) == generation
            ? published
            : ReadGeneration(generation, verifyContents, warnings);
    }

    /// <summary>The published generation, read without the writer's lock; null when there is none or it cannot be read.</summary>
    private Previous? ReadPrevious(bool verifyContents)
    {
        try
        {
            return folder.CurrentGeneration is { } generation ? ReadGeneration(generation, verifyContents, []) : null;
        }
        catch (Exception e) when (e is IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            return null; // a build (under the lock) sorts it out
        }
    }

    private Previous? ReadGeneration(string generation, bool verifyContents, List<IngestionWarning> warnings)
    {
        var manifestPath = Path.Combine(generation, IndexManifest.FileName);
        if (!File.Exists(manifestPath)) return null;
        try
        {
            var manifest = IndexManifest.Read(manifestPath);
            if (!manifest.IsCompatibleWith(settings)) return null;
            // Every derived file is rebuilt from chunks.db; chunks.db itself only from the notes.
            if (verifyContents && GenerationCheck.FindChanged(generation, manifest.Checksums, [ChunkStore.FileName]) is { } lost)
            {
                warnings.Add(new IngestionWarning(folder.Directory, null, $"the index was damaged ({lost}): every note is embedded again"));
                return null;
            }
            var db = Path.Combine(generation, ChunkStore.FileName);
            var (chunks, windows) = ChunkStore.ReadCounts(db);
            var damage = verifyContents
                ? GenerationCheck.FindDamageThoroughly(generation, chunks, windows, manifest.Dimension, manifest.Checksums)
                : GenerationCheck.FindDamage(generation, chunks, windows, manifest.Dimension);
            return new Previous(manifest, db, ChunkStore.ReadFiles(db), chunks, damage);
        }
        catch (Exception e) when (e is IndexCorruptException or System.Text.Json.JsonException)
        {
            return null; // an unreadable generation is simply rebuilt from the notes
        }
    }

    /// <summary>What <paramref name="previous"/> holds for reuse; null when there is none or its rows cannot be read.</summary>
    private static Stored? ReadStored(Previous? previous)
    {
        if (previous is null) return null;
        try
        {
            return new Stored(ChunkStore.ReadChunks(previous.Store), ChunkStore.ReadWindows(previous.Store));
        }
        catch (IndexCorruptException)
        {
            return null; // nothing to reuse: every note is chunked and embedded again
        }
    }

    /// <summary>How many notes the current generation holds, by its manifest; 0 when there is none or it cannot be read.</summary>
    private int IndexedNoteCount()
    {
        try
        {
            var generation = folder.CurrentGeneration;
            var manifestPath = generation is null ? null : Path.Combine(generation, IndexManifest.FileName);
            return manifestPath is not null && File.Exists(manifestPath) ? IndexManifest.Read(manifestPath).Files : 0;
        }
        catch (Exception e) when (e is IndexCorruptException or System.Text.Json.JsonException or IOException)
        {
            return 0;
        }
    }

    private IndexBuildReport Write(IReadOnlyList<Chunk> chunks, IReadOnlyList<IndexedFile> files, Stored? previous, string source,
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
