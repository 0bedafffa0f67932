using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>
/// Reads an index folder's generations as a build needs them: the published one before the writer's lock, to tell
/// whether anything changed; the one a build starts from under the lock; and, for messages, how the published one
/// compares with the notes.
/// </summary>
internal sealed class GenerationReader(IndexFolder folder, IndexManifest settings)
{
    /// <summary>The published generation, read without the writer's lock; null when there is none or it cannot be read.</summary>
    public PreviousGeneration? ReadPublished(bool verifyContents)
    {
        try
        {
            return folder.CurrentGeneration is { } generation ? Read(generation, verifyContents, []) : null;
        }
        catch (Exception e) when (e is IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            return null; // a build (under the lock) sorts it out
        }
    }

    /// <summary>
    /// <paramref name="published"/> (read without checking its files' contents) with every byte of its files checked against
    /// their checksums, as <see cref="ReadPublished"/> checks them when asked to: null when chunks.db itself is damaged (a
    /// build sorts it out), its damage otherwise. A build reads the generation first and checks it after, so that the model
    /// can start loading meanwhile when a note is new.
    /// </summary>
    public PreviousGeneration? Verify(PreviousGeneration published)
    {
        var checksums = published.Manifest.Checksums;
        try
        {
            var storeCheck = Task.Run(() => GenerationCheck.FindChanged(published.Directory, checksums, [ChunkStore.FileName]));
            var damage = published.Damage ?? GenerationCheck.FindChanged(published.Directory, checksums,
                checksums?.Keys.Where(k => k != ChunkStore.FileName), sideBySide: true);
            return storeCheck.GetAwaiter().GetResult() is null
                ? published with { Damage = damage, FilesMatchChecksums = damage is null }
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The generation a build starts from, with the writer's lock held: the current one, after removing every other
    /// generation of ours. A damaged CURRENT loses nothing: the newest complete generation is taken instead, and CURRENT
    /// pointed at it again.
    /// </summary>
    /// <param name="published">The generation as read before the lock, reused when it is still the current one rather
    /// than read (and, for <c>index</c>, its every byte checked) again.</param>
    public PreviousGeneration? ReadForBuild(bool rebuild, bool verifyContents, List<IngestionWarning> warnings, PreviousGeneration? published = null)
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
        return published is not null && published.Directory == generation
            ? published
            : Read(generation, verifyContents, warnings);
    }

    private PreviousGeneration? Read(string generation, bool verifyContents, List<IngestionWarning> warnings)
    {
        var manifestPath = Path.Combine(generation, IndexManifest.FileName);
        if (!File.Exists(manifestPath)) return null;
        var db = Path.Combine(generation, ChunkStore.FileName);
        try
        {
            var (manifest, manifestDamage) = ReadManifest(manifestPath, db);
            if (!manifest.IsCompatibleWith(settings)) return null;
            // Every derived file is rebuilt from chunks.db; chunks.db itself only from the notes. Without the manifest's
            // checksum, SQLite's own check of its pages stands in for it. It is checked on another core while the files
            // derived from it are.
            var storeCheck = manifestDamage is not null ? Task.Run(() => ChunkStore.FindDamage(db))
                : verifyContents ? Task.Run(() => GenerationCheck.FindChanged(generation, manifest.Checksums, [ChunkStore.FileName]))
                : Task.FromResult<string?>(null);
            (int Chunks, string? Damage)? derived = null;
            try
            {
                derived = CheckDerivedFiles(generation, db, manifest, manifestDamage, verifyContents);
            }
            catch (IndexCorruptException) when (storeCheck.GetAwaiter().GetResult() is not null)
            {
                // the store's own damage is what is told
            }
            if (storeCheck.GetAwaiter().GetResult() is { } lost)
            {
                if (manifestDamage is null && Salvage(generation, db, manifest, lost, warnings) is { } salvaged)
                    return new PreviousGeneration(manifest, db, [], 0, lost) { Salvaged = salvaged };
                warnings.Add(new IngestionWarning(folder.Directory, null, $"the index was damaged ({lost}): every note is embedded again"));
                return null;
            }
            var (chunks, damage) = derived!.Value;
            return new PreviousGeneration(manifest, db, ChunkStore.ReadFiles(db), chunks, damage)
            {
                FilesMatchChecksums = verifyContents && manifestDamage is null && damage is null,
            };
        }
        catch (Exception e) when (e is IndexCorruptException or System.Text.Json.JsonException)
        {
            return null; // an unreadable generation is simply rebuilt from the notes
        }
    }

    /// <summary>
    /// What can still be read of a damaged chunks.db, checked against the vectors of the generation's FAISS files, with a
    /// warning saying how much; null when those files do not match their checksums either (nothing to check the store's
    /// rows against), the store does not open, or nothing of it reads. Every note is chunked again, and only the texts
    /// whose rows were lost are embedded.
    /// </summary>
    private ReusableRows? Salvage(string generation, string db, IndexManifest manifest, string damage, List<IngestionWarning> warnings)
    {
        var vectors = Path.Combine(generation, NotesIndex.VectorsFile);
        var windows = Path.Combine(generation, NotesIndex.WindowsFile);
        try
        {
            if (manifest.Checksums is not { } checksums || !checksums.ContainsKey(NotesIndex.VectorsFile) || !checksums.ContainsKey(NotesIndex.WindowsFile)
                || GenerationCheck.FindChanged(generation, checksums, [NotesIndex.VectorsFile, NotesIndex.WindowsFile]) is not null)
                return null;
            var chunkVectors = FaissFileLayout.ReadInIdOrder(vectors, manifest.Chunks, manifest.Dimension);
            var windowVectors = FaissFileLayout.ReadInIdOrder(windows, FaissFileLayout.CountOf(new FileInfo(windows).Length, manifest.Dimension), manifest.Dimension);
            if (chunkVectors is null || windowVectors is null) return null;
            var salvaged = ChunkStore.Salvage(db, chunkVectors, windowVectors);
            if (salvaged.Chunks.Count + salvaged.Windows.Count == 0) return null;
            warnings.Add(new IngestionWarning(folder.Directory, null,
                $"the index was damaged ({damage}): {salvaged.Chunks.Count} of {chunkVectors.Length} passages and {salvaged.Windows.Count} of "
                + $"{windowVectors.Length} line windows could still be read and keep their vectors; the rest are embedded again"));
            return salvaged;
        }
        catch (Exception e) when (e is IndexCorruptException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return null;
        }
    }

    /// <summary>How many chunks the store holds, and what is damaged among the files derived from it (null when nothing).</summary>
    private static (int Chunks, string? Damage) CheckDerivedFiles(string generation, string db, IndexManifest manifest, string? manifestDamage, bool verifyContents)
    {
        var (chunks, windows) = ChunkStore.ReadCounts(db);
        return (chunks, manifestDamage ?? (verifyContents
            ? GenerationCheck.FindDamageThoroughly(generation, chunks, windows, manifest.Dimension, manifest.Checksums)
            : GenerationCheck.FindDamage(generation, chunks, windows, manifest.Dimension, manifest.Checksums)));
    }

    /// <summary>
    /// The generation's manifest; when it is damaged, the settings chunks.db records as well (what the vectors were made
    /// with), dated by chunks.db, with why the manifest could not serve: the generation is then rebuilt from its stored
    /// vectors rather than embedded again. A store that records no settings leaves the damage to the caller.
    /// </summary>
    private static (IndexManifest Manifest, string? Damage) ReadManifest(string manifestPath, string db)
    {
        try
        {
            return (IndexManifest.Read(manifestPath), null);
        }
        catch (IndexCorruptException e) when (ChunkStore.ReadSettings(db) is { } recorded)
        {
            return (recorded with { CreatedUtc = File.GetLastWriteTimeUtc(db) }, e.Message);
        }
    }

    /// <summary>How the current generation compares with <paramref name="files"/>, and what changed, reading the folder only.</summary>
    public (IndexFreshness Freshness, string? Changes) CompareWithNotes(IReadOnlyList<NoteVersion> files)
    {
        try
        {
            if (CurrentManifest() is not (var generation, var manifestPath)) return (IndexFreshness.NoIndex, null);
            var manifest = IndexManifest.Read(manifestPath);
            if (!manifest.IsCompatibleWith(settings))
                return (IndexFreshness.OutOfDate, "it was built with other settings: another model variant or chunking");
            var indexed = ChunkStore.ReadFiles(Path.Combine(generation, ChunkStore.FileName)).ToDictionary(f => f.Path, f => f.ContentHash);
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

    /// <summary>How many notes the current generation holds, by its manifest; 0 when there is none or it cannot be read.</summary>
    public int IndexedNoteCount()
    {
        try
        {
            return CurrentManifest() is (_, var manifestPath) ? IndexManifest.Read(manifestPath).Files : 0;
        }
        catch (Exception e) when (e is IndexCorruptException or System.Text.Json.JsonException or IOException)
        {
            return 0;
        }
    }

    /// <summary>The current generation and the path of its manifest; null when there is none or it has no manifest.</summary>
    private (string Generation, string ManifestPath)? CurrentManifest()
    {
        var generation = folder.CurrentGeneration;
        var manifestPath = generation is null ? null : Path.Combine(generation, IndexManifest.FileName);
        return manifestPath is not null && File.Exists(manifestPath) ? (generation!, manifestPath) : null;
    }
}
