using MlTutor.Embedding;
using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>
/// Writes a new generation of the index and publishes it: writes the keyword index while it embeds what the previous
/// generation cannot lend a vector for, then chunks.db and the FAISS files, and last the manifest. A generation that
/// fails half way is deleted, so the folder keeps the index it held.
/// </summary>
internal sealed class GenerationWriter(IndexFolder folder, Func<MiniLmEncoder> encoder, IndexManifest settings)
{
    /// <summary>A vector for each text, and what the encoder was given to find them.</summary>
    /// <param name="EmbeddedChunks">Chunks sent to the encoder (the rest of the embedded texts are line windows).</param>
    /// <param name="EmbeddedPieces">Word pieces of those chunks.</param>
    /// <param name="EmbeddedByFile">How many of those chunks each note had.</param>
    private sealed record Vectors(float[][] All, int EmbeddedChunks, long EmbeddedPieces, Dictionary<string, int> EmbeddedByFile);

    /// <param name="keywordBasis">The last generation's keyword index and the notes changed since, when the new keyword
    /// index can be written as an update of it; null to write it afresh.</param>
    public IndexBuildReport Write(IReadOnlyList<Chunk> chunks, IReadOnlyList<IndexedFile> files, ReusableRows? previous, string source,
        IProgress<IndexProgress>? progress, CancellationToken cancellationToken, KeywordBasis? keywordBasis = null)
    {
        var texts = EmbeddedTexts.Of(chunks);
        RequireRoomFor(texts.All);
        var generation = folder.CreateGeneration();
        // The keyword index needs the chunks alone: it is written on another core while the model loads and the new texts
        // are embedded, rather than after them. A build cancelled meanwhile waits for it before removing the generation.
        var keywords = Task.Run(() => WriteKeywords(Path.Combine(generation, NotesIndex.KeywordFolder), chunks, keywordBasis), CancellationToken.None);
        Vectors vectors;
        try
        {
            vectors = Embed(chunks, texts, previous, progress, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new IndexProgress("Writing index", 0, 1));
            Publish(generation, chunks, files, texts, vectors.All, source, keywords);
        }
        catch (Exception e)
        {
            Abandon(generation, keywords, e);
            throw;
        }
        progress?.Report(new IndexProgress("Writing index", 1, 1));
        return Report(files.Count, chunks.Count, vectors, files.Select(f => f.Path));
    }

    /// <summary>
    /// Writes the next generation as an update of <paramref name="previous"/>, whose every note lies where
    /// <paramref name="layout"/> says: its store is copied and changed in place (the rows of changed and removed notes go,
    /// the kept notes' rows move to their new places, the new notes' rows come in), its FAISS files are copied run by run
    /// with the new vectors spliced in, and its keyword index is updated by segment. Only the notes chunked anew are read
    /// and embedded (what they share with the notes they replace keeps its vectors), so an edit costs about what the
    /// edited note costs, however many notes are kept. The result is the generation a full build would write, row for row.
    /// </summary>
    /// <param name="notes">Every note of the new generation, in order.</param>
    /// <param name="keywordBasis">The last generation's keyword index and the notes changed since; null to write it afresh.</param>
    /// <param name="replaced">The rows (with their vectors) of the last generation's notes that changed or left, being read.</param>
    public IndexBuildReport Update(PreviousGeneration previous, IReadOnlyList<NoteRows> layout, IReadOnlyList<NoteInBuild> notes,
        Task<ReusableRows> replaced, string source,
        IProgress<IndexProgress>? progress, CancellationToken cancellationToken, KeywordBasis? keywordBasis)
    {
        var plan = UpdatePlan.Of(layout, notes);
        RequireRoomFor(previous.Directory, plan.NewTexts.All);
        var generation = folder.CreateGeneration();
        // The keyword index is updated, and the last generation's store copied, while the new texts are embedded; the copy
        // is changed once their vectors are known. It is made durable at once, so that the disk writes it while the work
        // goes on, and the change then has only its own pages to write.
        var copied = Task.Run(() => CopyDurably(previous.Store, Path.Combine(generation, ChunkStore.FileName)), CancellationToken.None);
        var keywords = Task.Run(() => UpdateKeywords(Path.Combine(generation, NotesIndex.KeywordFolder), previous, notes, keywordBasis), CancellationToken.None);
        var beside = Task.WhenAll(copied, keywords);
        Vectors vectors;
        try
        {
            var replacedRows = replaced.GetAwaiter().GetResult();
            vectors = Embed(plan.NewChunks, plan.NewTexts, replacedRows, progress, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new IndexProgress("Writing index", 0, 1));
            var newChunkVectors = vectors.All[..plan.NewChunks.Count];
            var newWindowVectors = vectors.All[plan.NewChunks.Count..];
            var checksums = new WrittenFiles(generation);
            Parallel.Invoke(
                () => checksums.Write(ChunkStore.FileName, store =>
                {
                    copied.GetAwaiter().GetResult();
                    ChunkStore.Patch(store, plan.StorePatch(newChunkVectors, newWindowVectors, notes.Select(n => n.File).ToList(), replacedRows));
                }),
                () =>
                {
                    checksums.WriteHashed(NotesIndex.VectorsFile, file => FaissFileLayout.WriteSpliced(file, Path.Combine(previous.Directory, NotesIndex.VectorsFile),
                        plan.ChunkRuns(newChunkVectors), settings.Dimension));
                    checksums.WriteHashed(NotesIndex.WindowsFile, file => FaissFileLayout.WriteSpliced(file, Path.Combine(previous.Directory, NotesIndex.WindowsFile),
                        plan.WindowRuns(newWindowVectors), settings.Dimension));
                });
            beside.GetAwaiter().GetResult();
            Seal(generation, notes.Count, plan.Chunks, source, checksums);
        }
        catch (Exception e)
        {
            Abandon(generation, beside, e);
            throw;
        }
        progress?.Report(new IndexProgress("Writing index", 1, 1));
        return Report(notes.Count, plan.Chunks, vectors, notes.Where(n => n.Chunks is not null).Select(n => n.File.Path)) with { Updated = true };
    }

    /// <summary>What a written generation holds and what went to the encoder, for each of <paramref name="chunked"/> (the
    /// notes chunked anew) too; the builder adds what it knows of the notes.</summary>
    private static IndexBuildReport Report(int files, int chunks, Vectors vectors, IEnumerable<string> chunked) =>
        new(false, files, chunks, vectors.EmbeddedChunks, chunks - vectors.EmbeddedChunks, 0, 0, vectors.EmbeddedPieces, TimeSpan.Zero, [])
        {
            Notes = chunked.Select(path => new NoteChange(path, vectors.EmbeddedByFile.GetValueOrDefault(path), false)).ToList(),
        };

    private static void CopyDurably(string source, string destination)
    {
        File.Copy(source, destination);
        using var copy = new FileStream(destination, FileMode.Open, FileAccess.ReadWrite);
        copy.Flush(flushToDisk: true);
    }

    /// <summary>The keyword index of an update: the last one's segments of kept notes linked, the rest written from the new
    /// notes' chunks and the kept notes' chunks as the last generation's store holds them.</summary>
    private static void UpdateKeywords(string folder, PreviousGeneration previous, IReadOnlyList<NoteInBuild> notes, KeywordBasis? basis)
    {
        IEnumerable<Chunk> ChunksOf(IReadOnlySet<string> wanted) => notes.Where(n => wanted.Contains(n.File.Path))
            .SelectMany(n => n.Chunks ?? ChunkStore.ReadChunksOf(previous.Store, [n.Kept!]));
        var all = notes.Select(n => n.File.Path).ToHashSet(StringComparer.Ordinal);
        if (basis is null || !KeywordIndex.TryUpdate(basis.Folder, folder, all, ChunksOf, basis.ChangedNotes))
            KeywordIndex.Build(folder, ChunksOf(all));
    }

    /// <summary>A vector for every text: vectors of unchanged texts are reused; only the rest go to the encoder, chunks and
    /// their line windows in one pass.</summary>
    private Vectors Embed(IReadOnlyList<Chunk> chunks, EmbeddedTexts texts, ReusableRows? previous, IProgress<IndexProgress>? progress,
        CancellationToken cancellationToken)
    {
        var cache = new Dictionary<string, float[]>();
        foreach (var s in previous?.Chunks ?? [])
            cache.TryAdd(ChunkStore.EmbeddedHash(s.Chunk.EmbeddedText), s.Vector);
        foreach (var w in previous?.Windows ?? [])
            cache.TryAdd(ChunkStore.EmbeddedHash(w.Text), w.Vector);
        var all = texts.All;
        var vectors = new float[all.Count][];
        var toEmbed = new List<int>();
        var pending = new Dictionary<string, int>();
        for (var i = 0; i < all.Count; i++)
        {
            var hash = ChunkStore.EmbeddedHash(all[i]);
            if (cache.TryGetValue(hash, out var v)) vectors[i] = v;
            else if (pending.TryAdd(hash, i)) toEmbed.Add(i);
        }
        long pieces = 0;
        if (toEmbed.Count > 0)
        {
            var batch = toEmbed.Select(i => all[i]).ToList();
            progress?.Report(new IndexProgress("Embedding", 0, batch.Count));
            var embedded = encoder().Embed(batch, new SyncProgress(n => progress?.Report(new IndexProgress("Embedding", n, batch.Count))), cancellationToken);
            for (var j = 0; j < toEmbed.Count; j++) vectors[toEmbed[j]] = embedded[j];
            pieces = toEmbed.Where(i => i < chunks.Count).Sum(i => (long)Math.Min(chunks[i].Tokens, MiniLmTokenizer.MaxPieces));
        }
        // A text repeated within this build was embedded once.
        for (var i = 0; i < all.Count; i++)
            vectors[i] ??= vectors[pending[ChunkStore.EmbeddedHash(all[i])]];
        var byFile = toEmbed.Where(i => i < chunks.Count).GroupBy(i => chunks[i].File).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new Vectors(vectors, toEmbed.Count(i => i < chunks.Count), pieces, byFile);
    }

    /// <summary>Writes the generation's other files beside its keyword index (<paramref name="keywords"/>, under way), its
    /// manifest last, and makes it the current one.</summary>
    private void Publish(string generation, IReadOnlyList<Chunk> chunks, IReadOnlyList<IndexedFile> files, EmbeddedTexts texts, float[][] vectors,
        string source, Task keywords)
    {
        var stored = chunks.Select((c, i) => new StoredChunk(i, c, vectors[i])).ToList();
        var windows = texts.Windows.Select((t, j) => new StoredWindow(j, texts.WindowChunks[j], t, vectors[chunks.Count + j])).ToList();
        var checksums = new WrittenFiles(generation);
        Parallel.Invoke(
            () => checksums.Write(ChunkStore.FileName, path => ChunkStore.Write(path, stored, files, windows, settings with { Source = source })),
            () =>
            {
                checksums.WriteHashed(NotesIndex.VectorsFile, file => FaissFileLayout.Write(file, vectors.Take(chunks.Count).ToList(), settings.Dimension));
                checksums.WriteHashed(NotesIndex.WindowsFile, file => FaissFileLayout.Write(file, vectors.Skip(chunks.Count).ToList(), settings.Dimension));
            });
        keywords.GetAwaiter().GetResult();
        Seal(generation, files.Count, chunks.Count, source, checksums);
    }

    /// <summary>Writes the manifest of a generation whose other files are all written, with their checksums (those of
    /// <paramref name="written"/> taken as they were made), and makes the generation the current one.</summary>
    private void Seal(string generation, int files, int chunks, string source, WrittenFiles written)
    {
        var manifest = settings with
        {
            Source = source, Files = files, Chunks = chunks, CreatedUtc = DateTimeOffset.UtcNow,
            Checksums = GenerationCheck.Checksums(generation, written.Checksums),
        };
        WriteDurably(Path.Combine(generation, IndexManifest.FileName), manifest.ToJson());
        folder.Publish(generation);
    }

    /// <summary>
    /// Deletes a generation that failed half way (<paramref name="failure"/>), once the writers beside it have stopped too, so
    /// that the folder keeps the index it held; rethrows the failure, naming a full disk as such (any of the writers may
    /// have met it).
    /// </summary>
    private void Abandon(string generation, Task beside, Exception failure)
    {
        try { beside.Wait(); } catch (AggregateException) { } // its failures are among the causes below
        try { IndexFolder.DeleteGeneration(generation); } catch (IOException) { }
        var causes = (failure is AggregateException all ? all.InnerExceptions : [failure]).Concat(beside.Exception?.InnerExceptions ?? []);
        if (causes.FirstOrDefault(IndexWriteException.IsOutOfSpace) is { } full)
            throw new IndexWriteException(folder, "the disk is full", full);
        if (failure is AggregateException writers) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(writers.InnerExceptions[0]);
    }

    /// <summary>
    /// Stops before embedding when the disk plainly cannot hold the new generation: every vector is written twice (chunks.db
    /// and a FAISS file) and every text at least once in chunks.db and once in the keyword index. Finding out only when the
    /// write fails would cost the whole embedding first.
    /// </summary>
    private void RequireRoomFor(IReadOnlyList<string> texts) =>
        RequireRoom(texts.Count * (long)settings.Dimension * sizeof(float) * 2 + texts.Sum(t => (long)t.Length) * 2);

    /// <summary>As <see cref="RequireRoomFor(IReadOnlyList{string})"/> for an update: a copy of the last generation (its
    /// keyword index mostly linked, counted all the same) and the new texts.</summary>
    private void RequireRoomFor(string previous, IReadOnlyList<string> texts) =>
        RequireRoom(Directory.EnumerateFiles(previous, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
            + texts.Count * (long)settings.Dimension * sizeof(float) * 2 + texts.Sum(t => (long)t.Length) * 2);

    private void RequireRoom(long needed)
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
        if (free < needed)
            throw new IndexWriteException(folder, $"the disk has {Megabytes(free)} free and the new index needs at least {Megabytes(needed)}", null);
    }

    private static string Megabytes(long bytes) => $"{bytes / 1e6:0.0} MB";

    private static void WriteKeywords(string folder, IReadOnlyList<Chunk> chunks, KeywordBasis? basis)
    {
        if (basis is null || !KeywordIndex.TryUpdate(basis.Folder, folder, chunks, basis.ChangedNotes))
            KeywordIndex.Build(folder, chunks);
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

/// <summary>A sound keyword index of the last generation (<paramref name="Folder"/>) and the notes whose content changed
/// since: the next keyword index is written as an update of it (see <see cref="KeywordIndex.TryUpdate"/>).</summary>
internal sealed record KeywordBasis(string Folder, IReadOnlySet<string> ChangedNotes);

/// <summary>
/// The files of a generation being written, each hashed right after it is written, by the writer that wrote it: the
/// large files are written side by side, so their checksums are too, while the file is still in the page cache, instead
/// of one after another once all are written.
/// </summary>
internal sealed class WrittenFiles(string generation)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _checksums = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Checksums => _checksums;

    /// <summary>Writes the file <paramref name="name"/> of the generation with <paramref name="write"/> (given its path),
    /// then records its checksum.</summary>
    public void Write(string name, Action<string> write)
    {
        var path = Path.Combine(generation, name);
        write(path);
        _checksums[name] = GenerationCheck.Checksum(path);
    }

    /// <summary>Writes the file <paramref name="name"/> with <paramref name="write"/> into a stream that hashes what passes
    /// through it, so that the file is not read again for its checksum, and makes it durable.</summary>
    public void WriteHashed(string name, Action<Stream> write)
    {
        using var hash = System.Security.Cryptography.SHA256.Create();
        using (var file = new FileStream(Path.Combine(generation, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            using (var hashing = new System.Security.Cryptography.CryptoStream(file, hash, System.Security.Cryptography.CryptoStreamMode.Write, leaveOpen: true))
            using (var blocks = new BufferedStream(hashing, 1 << 16)) // a vector a write would be a call into the hash each
                write(blocks);
            file.Flush(flushToDisk: true);
        }
        _checksums[name] = GenerationCheck.ChecksumOfSha256(hash.Hash!);
    }
}
