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
    private readonly GenerationWriter _writer = new(folder, encoder, settings);

    /// <summary>Reads the notes, and builds or updates the index when they differ from what it holds.</summary>
    /// <param name="verifyContents">Check every byte of the current generation against its checksums, not only the
    /// layout of its files: what <c>index</c> does; before a question the files are checked as they are opened.</param>
    public IndexBuildReport BuildFromCorpus(string corpusDirectory, CorpusReader reader, Chunker chunker, bool rebuild = false,
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default, bool verifyContents = false)
    {
        var clock = Stopwatch.StartNew();
        var warnings = new List<IngestionWarning>();
        progress?.Report(new IndexProgress("Reading notes", 0, 1));
        var published = _generations.ReadPublished(verifyContents: false);
        var touched = TouchedNotes.Read(folder);
        var files = NoteVersion.ReadAll(corpusDirectory, reader, published, touched, warnings);
        // A note the published generation does not hold starts the model loading now, on another core, before the index's
        // every byte is checked (what `index` does), the last generation read and the notes chunked: all of which it would
        // otherwise wait for. Without a readable published generation, the one the build starts from decides, below.
        if (published is not null) StartLoadingModelIfNew(files, published);
        if (verifyContents && published is not null)
            published = _generations.Verify(published);

        // Most calls (one before every question) find nothing changed: that is decided from the published generation
        // alone, without the writer's lock, so questions never wait for or fail because of a build in another process.
        // Notes read only because their size or time moved are recorded, so that the next call need not read them.
        if (!rebuild && files.Count > 0 && published is { Damage: null } && published.Holds(files))
        {
            TouchedNotes.Record(folder, files, touched);
            return new IndexBuildReport(true, files.Count, published.Chunks, 0, published.Chunks, 0, 0, 0, clock.Elapsed, warnings);
        }

        using var writeLock = AcquireWriteLock(files);
        if (files.Count == 0)
            KeepIndexOfEmptyCorpus(corpusDirectory, warnings);
        var previous = _generations.ReadForBuild(rebuild, verifyContents, warnings, published);
        var previousFiles = previous?.Files.ToDictionary(f => f.Path) ?? [];
        var unchanged = files.Where(f => previousFiles.TryGetValue(f.RelativePath, out var p) && p.ContentHash == f.ContentHash).ToList();
        var removed = previousFiles.Keys.Except(files.Select(f => f.RelativePath)).Count();
        // A store that was itself damaged has said what it could still give (a generation with only other files damaged
        // gives all of it).
        if (previous is { Damage: { } damage, Salvaged: null })
            warnings.Add(new IngestionWarning(folder.Directory, null, $"the index was damaged ({damage}): rebuilt from its stored vectors"));
        else if (previous != null && unchanged.Count == files.Count && removed == 0)
            return new IndexBuildReport(true, files.Count, previous.Chunks, 0, previous.Chunks, 0, 0, 0, clock.Elapsed, warnings);

        if (published is null) StartLoadingModelIfNew(files, previous);
        var notes = new NoteChunks(corpusDirectory, reader, chunker, warnings);
        var changedNotes = files.Except(unchanged).Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var kept = unchanged.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        IndexBuildReport report;
        int changed;
        if (!rebuild && previous is { Damage: null } && LayoutToUpdate(previous, unchanged) is { } layout)
        {
            // The rows of the notes that changed or left are read on another core while the notes are chunked: what the
            // new notes repeat of them keeps its vectors.
            var leaving = UpdatePlan.LeavingOf(layout, kept);
            var replaced = Task.Run(() => ChunkStore.ReadRowsOf(previous.Store, leaving), cancellationToken);
            var (inBuild, chunked) = notes.ChunkChanged(files, unchanged.ToHashSet(), layout.ToDictionary(r => r.File, StringComparer.Ordinal), progress, cancellationToken);
            changed = chunked;
            report = _writer.Update(previous, layout, inBuild, replaced, corpusDirectory, progress, cancellationToken,
                new KeywordBasis(Path.Combine(previous.Directory, NotesIndex.KeywordFolder), changedNotes));
        }
        else
        {
            // The previous generation's rows (tens of megabytes with their vectors for larger notes) are read on another core
            // while the changed notes are chunked.
            var reading = previous is null ? Task.FromResult<ReusableRows?>(null) : Task.Run(previous.ReadReusable, cancellationToken);
            (var chunks, var indexedFiles, changed) = notes.Chunk(files, unchanged, reading, progress, cancellationToken);
            var reusable = reading.GetAwaiter().GetResult();
            // A generation whose files are sound lends its keyword index: only the segments of changed notes are written again.
            // Its rows must have been read too: a store that cannot be read is no generation to build on.
            var keywordBasis = previous is { Damage: null } && reusable is not null
                ? new KeywordBasis(Path.Combine(previous.Directory, NotesIndex.KeywordFolder), changedNotes)
                : null;
            report = _writer.Write(chunks, indexedFiles, reusable, corpusDirectory, progress, cancellationToken, keywordBasis);
        }
        var notesChanged = report.Notes.Where(n => !kept.Contains(n.File))
            .Concat(previousFiles.Keys.Except(files.Select(f => f.RelativePath)).Order(StringComparer.Ordinal).Select(f => new NoteChange(f, 0, true)))
            .ToList();
        return report with { ChangedFiles = changed, RemovedFiles = removed, Elapsed = clock.Elapsed, Warnings = warnings, Notes = notesChanged };
    }

    /// <summary>
    /// Where each note lies in <paramref name="previous"/>, when the next generation can be written as an update of it:
    /// its store, FAISS files and keyword index are sound (matched against their checksums, which a question's update
    /// has not done yet: the files are copied, so damage must not travel on under new checksums), and its rows are laid
    /// out note by note as a build writes them, with every unchanged note among them. Null otherwise: the generation is
    /// then written whole, repairing what it must from what is still good.
    /// </summary>
    private static List<NoteRows>? LayoutToUpdate(PreviousGeneration previous, IReadOnlyList<NoteVersion> unchanged)
    {
        if (previous.Manifest.Checksums is not { } checksums
            || !new[] { ChunkStore.FileName, NotesIndex.VectorsFile, NotesIndex.WindowsFile }.All(checksums.ContainsKey))
            return null;
        try
        {
            if (!previous.FilesMatchChecksums
                && GenerationCheck.FindChanged(previous.Directory, checksums, [ChunkStore.FileName, NotesIndex.VectorsFile, NotesIndex.WindowsFile], sideBySide: true) is not null)
                return null;
            var layout = ChunkStore.ReadNoteRows(previous.Store);
            var counts = previous.Files.ToDictionary(f => f.Path, f => f.Chunks, StringComparer.Ordinal);
            return layout is not null && layout.Sum(r => r.Chunks) == previous.Chunks
                && layout.All(r => counts.GetValueOrDefault(r.File, -1) == r.Chunks)
                && unchanged.All(f => counts.ContainsKey(f.RelativePath))
                ? layout : null;
        }
        catch (Exception e) when (e is IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// A note whose content the index does not hold will (most likely) be embedded: the model then loads on another core
    /// while the rest of the build goes on, instead of after it. Moved and deleted notes embed nothing, so they load nothing.
    /// </summary>
    private void StartLoadingModelIfNew(IReadOnlyList<NoteVersion> files, PreviousGeneration? previous)
    {
        var known = previous?.Files.Select(f => f.ContentHash).ToHashSet(StringComparer.Ordinal) ?? [];
        if (!files.Any(f => !known.Contains(f.ContentHash))) return;
        try
        {
            encoder().StartLoading();
        }
        catch (ModelNotFoundException)
        {
            // The embedding step reports it, as without this head start.
        }
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
        var report = _writer.Write(chunks, files, previous?.ReadReusable(), source, progress, cancellationToken);
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
}
