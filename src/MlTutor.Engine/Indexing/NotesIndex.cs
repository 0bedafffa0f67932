using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>
/// An opened generation of the index: the chunks in FAISS row order, the vectors, and the keyword index.
/// Reading never blocks a writer: a build publishes a new generation beside this one.
/// </summary>
public sealed class NotesIndex : IDisposable
{
    public const string VectorsFile = "vectors.faiss";
    public const string KeywordFolder = "keyword";
    public const string WindowsFile = "windows.faiss";

    private readonly Dictionary<string, Chunk> _byId;
    private readonly float[] _chunkVectors;
    private readonly float[] _windowVectors;
    private readonly (int First, int Count)[] _windowsOfChunk;
    private IDisposable? _lease;

    private NotesIndex(string generation, IndexManifest manifest, List<Chunk> chunks, FaissIndex vectors, float[] chunkVectors,
        KeywordIndex keywords, FaissIndex? windows, float[] windowVectors, int[] windowChunkRows)
    {
        Generation = generation;
        Manifest = manifest;
        Chunks = chunks;
        Vectors = vectors;
        Keywords = keywords;
        Windows = windows;
        _byId = Chunks.ToDictionary(c => c.Id);
        _chunkVectors = chunkVectors;
        _windowVectors = windowVectors;
        WindowChunkRows = windowChunkRows;
        _windowsOfChunk = new (int, int)[chunks.Count];
        for (var w = 0; w < windowChunkRows.Length; w++)
        {
            var row = windowChunkRows[w];
            _windowsOfChunk[row] = _windowsOfChunk[row].Count == 0 ? (w, 1) : (_windowsOfChunk[row].First, _windowsOfChunk[row].Count + 1);
        }
    }

    public string Generation { get; }
    public IndexManifest Manifest { get; }

    /// <summary>All chunks; a chunk's position is its id in <see cref="Vectors"/>.</summary>
    public IReadOnlyList<Chunk> Chunks { get; }

    public FaissIndex Vectors { get; }
    public KeywordIndex Keywords { get; }

    /// <summary>The line windows' vectors (see <see cref="LineWindows"/>); null in an index built without them.</summary>
    public FaissIndex? Windows { get; }

    /// <summary>The chunk row of each window row in <see cref="Windows"/>.</summary>
    public int[] WindowChunkRows { get; }

    /// <summary>The stored vector of chunk <paramref name="row"/> (its row in <see cref="Vectors"/>).</summary>
    public ReadOnlySpan<float> ChunkVector(int row) => _chunkVectors.AsSpan(row * Manifest.Dimension, Manifest.Dimension);

    /// <summary>The stored vector of window <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> WindowVector(int row) => _windowVectors.AsSpan(row * Manifest.Dimension, Manifest.Dimension);

    /// <summary>The window rows of chunk <paramref name="row"/>: consecutive, possibly none.</summary>
    public (int First, int Count) WindowsOf(int row) => _windowsOfChunk[row];

    public Chunk? FindById(string chunkId) => _byId.GetValueOrDefault(chunkId);

    /// <summary>
    /// Opens the published generation and holds it (see <see cref="IndexFolder.Lease"/>) until disposed, so that a build
    /// publishing another meanwhile never removes it under this reader.
    /// </summary>
    public static NotesIndex Open(IndexFolder folder, KeywordIndexOptions? keywordOptions = null)
    {
        // A build may publish a new generation and remove this one between reading CURRENT and taking the lease: then
        // CURRENT names the new one.
        for (var attempt = 1; ; attempt++)
        {
            var generation = folder.CurrentGeneration
                ?? throw new IndexNotBuiltException($"no index in {folder.Directory}", folder.Directory);
            var lease = IndexFolder.Lease(generation);
            if (lease is null && attempt < 5 && folder.CurrentGeneration != generation) continue;
            try
            {
                var index = OpenGeneration(generation, keywordOptions);
                index._lease = lease;
                return index;
            }
            catch
            {
                lease?.Dispose();
                throw;
            }
        }
    }

    private static NotesIndex OpenGeneration(string generation, KeywordIndexOptions? keywordOptions)
    {
        var manifestPath = Path.Combine(generation, IndexManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new IndexCorruptException($"{manifestPath} is missing", Path.GetDirectoryName(generation)!);
        IndexManifest manifest;
        try
        {
            manifest = IndexManifest.Read(manifestPath);
        }
        catch (IndexCorruptException e)
        {
            // The settings the manifest records are in chunks.db too: updating the index repairs it without embedding.
            throw new IndexDamagedException(Path.GetDirectoryName(generation)!, e.Message);
        }
        // The FAISS files are read whole just below, so checking them against their checksums costs one more pass over
        // bytes already in memory; damage inside them would otherwise change every answer without a word.
        if (GenerationCheck.FindChanged(generation, manifest.Checksums, [VectorsFile, WindowsFile]) is { } damage)
            throw new IndexDamagedException(Path.GetDirectoryName(generation)!, damage);
        // Each vector is read once, from the FAISS files, which searching needs loaded anyway; chunks.db gives the texts and
        // the windows' chunks without the vectors it also keeps (over 150 MB at 10,000 chunks with their line windows).
        var db = Path.Combine(generation, ChunkStore.FileName);
        var chunks = ChunkStore.ReadChunksWithoutVectors(db);
        var vectors = Readable(generation, () => FaissIndex.Load(Path.Combine(generation, VectorsFile)));
        var chunkVectors = vectors.Count == chunks.Count && vectors.Dimension == manifest.Dimension ? InRowOrder(vectors) : null;
        if (chunkVectors is null)
        {
            var count = vectors.Count;
            vectors.Dispose();
            throw new IndexCorruptException($"the index in {generation} is inconsistent ({count} vectors, {chunks.Count} chunks)", Path.GetDirectoryName(generation)!);
        }
        // A generation of an older schema has no windows: dense retrieval then scores whole chunks only.
        var windowsPath = Path.Combine(generation, WindowsFile);
        FaissIndex? windows = null;
        float[] windowVectors = [];
        int[] windowChunkRows = [];
        if (File.Exists(windowsPath))
        {
            try
            {
                windows = Readable(generation, () => FaissIndex.Load(windowsPath));
            }
            catch
            {
                vectors.Dispose();
                throw;
            }
            var stored = ChunkStore.ReadWindowChunkRows(db);
            var chunkRows = windows.Count == stored.Count ? ChunkRowsOfWindows(stored, chunks.Count) : null;
            var inRowOrder = chunkRows is not null && windows.Dimension == manifest.Dimension ? InRowOrder(windows) : null;
            if (chunkRows is null || inRowOrder is null)
            {
                var count = windows.Count;
                windows.Dispose();
                vectors.Dispose();
                throw new IndexCorruptException($"the line windows in {generation} are inconsistent ({count} vectors, {stored.Count} windows)", Path.GetDirectoryName(generation)!);
            }
            windowVectors = inRowOrder;
            windowChunkRows = chunkRows;
        }
        KeywordIndex keywords;
        try
        {
            keywords = Readable(generation, () => KeywordIndex.Open(Path.Combine(generation, KeywordFolder), keywordOptions));
        }
        catch
        {
            windows?.Dispose();
            vectors.Dispose();
            throw;
        }
        return new NotesIndex(generation, manifest, chunks, vectors, chunkVectors, keywords, windows, windowVectors, windowChunkRows);
    }

    /// <summary>The vectors of <paramref name="index"/> with the vector of id i at row i; null unless its ids are 0 … Count − 1.
    /// A build stores them in that order, so this is one copy.</summary>
    private static float[]? InRowOrder(FaissIndex index)
    {
        var stored = index.GetVectors();
        var ids = index.GetIds();
        var d = index.Dimension;
        if (ids.Length != index.Count || stored.LongLength != ids.LongLength * d) return null;
        var inOrder = true;
        for (var i = 0; i < ids.Length && inOrder; i++) inOrder = ids[i] == i;
        if (inOrder) return stored;
        // Ids are distinct (the shim refuses a file that repeats one), so ids within range are each row exactly once.
        var rows = new float[stored.LongLength];
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= ids.Length) return null;
            stored.AsSpan(i * d, d).CopyTo(rows.AsSpan((int)ids[i] * d, d));
        }
        return rows;
    }

    /// <summary>The chunk row of each window row; null unless the rows are 0 … Count − 1 and each chunk row is one of the chunks.
    /// Rows are the table's primary key, so rows in that range are each there once.</summary>
    private static int[]? ChunkRowsOfWindows(List<(long Row, long ChunkRow)> stored, int chunks)
    {
        var chunkRows = new int[stored.Count];
        foreach (var (row, chunkRow) in stored)
        {
            if (row < 0 || row >= stored.Count || chunkRow < 0 || chunkRow >= chunks) return null;
            chunkRows[row] = (int)chunkRow;
        }
        return chunkRows;
    }

    /// <summary>
    /// Opens one of a generation's files; a failure says how to fix it. <c>index</c> and the update before <c>ask</c> rebuild a
    /// damaged generation (see <see cref="GenerationCheck"/>), so this is reached when the index was opened without one.
    /// </summary>
    private static T Readable<T>(string generation, Func<T> open)
    {
        try
        {
            return open();
        }
        // Lucene reports a truncated file in its own exceptions and in .NET's (a slice past the end of a memory-mapped
        // file is an ArgumentException): all mean the same here.
        catch (Exception e) when (e is FaissIndexException or IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException
                                      || e.GetType().Namespace?.StartsWith("Lucene", StringComparison.Ordinal) == true)
        {
            var message = string.Join(' ', e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new IndexCorruptException($"the index in {generation} is damaged ({message})", Path.GetDirectoryName(generation)!, e);
        }
    }

    public void Dispose()
    {
        Vectors.Dispose();
        Windows?.Dispose();
        Keywords.Dispose();
        _lease?.Dispose();
    }
}

/// <summary>A file of the published generation no longer matches its checksum: <c>index</c> repairs it from what is still
/// good (the stored vectors), without embedding again.</summary>
public sealed class IndexDamagedException(string directory, string damage)
    : TutorException($"the index in {directory} is damaged ({damage}); updating it repairs it", Remedy.UpdateIndex, null, directory)
{
    public string Directory { get; } = directory;

    /// <summary>What is damaged, in a few words naming the file.</summary>
    public string Damage { get; } = damage;
}

/// <summary>No index has been built in the folder yet.</summary>
public sealed class IndexNotBuiltException(string message, string directory) : TutorException(message, Remedy.BuildIndex, null, directory)
{
    public string Directory { get; } = directory;
}
