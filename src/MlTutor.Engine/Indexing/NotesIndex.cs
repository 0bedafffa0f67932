using MlTutor.Ingestion;
using MlTutor.Retrieval;

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

    private NotesIndex(string generation, IndexManifest manifest, List<StoredChunk> chunks, FaissIndex vectors, KeywordIndex keywords,
        FaissIndex? windows, List<StoredWindow> storedWindows)
    {
        Generation = generation;
        Manifest = manifest;
        Chunks = chunks.Select(s => s.Chunk).ToList();
        Vectors = vectors;
        Keywords = keywords;
        Windows = windows;
        _byId = Chunks.ToDictionary(c => c.Id);
        var d = manifest.Dimension;
        _chunkVectors = new float[chunks.Count * d];
        for (var i = 0; i < chunks.Count; i++) chunks[i].Vector.CopyTo(_chunkVectors, i * d);
        _windowVectors = new float[storedWindows.Count * d];
        WindowChunkRows = new int[storedWindows.Count];
        _windowsOfChunk = new (int, int)[chunks.Count];
        for (var w = 0; w < storedWindows.Count; w++)
        {
            storedWindows[w].Vector.CopyTo(_windowVectors, w * d);
            var row = (int)storedWindows[w].ChunkRow;
            WindowChunkRows[w] = row;
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

    public static NotesIndex Open(IndexFolder folder, KeywordIndexOptions? keywordOptions = null)
    {
        var generation = folder.CurrentGeneration
            ?? throw new IndexNotBuiltException($"no index in {folder.Directory}: build it with ./mltutor index");
        var manifestPath = Path.Combine(generation, IndexManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new IndexCorruptException($"{manifestPath} is missing: rebuild with ./mltutor index --rebuild");
        var manifest = IndexManifest.FromJson(File.ReadAllText(manifestPath), manifestPath);
        var db = Path.Combine(generation, ChunkStore.FileName);
        var chunks = ChunkStore.ReadChunks(db);
        var vectors = Readable(generation, () => FaissIndex.Load(Path.Combine(generation, VectorsFile)));
        if (vectors.Count != chunks.Count || vectors.Dimension != manifest.Dimension || chunks.Any(c => c.Vector.Length != manifest.Dimension))
        {
            vectors.Dispose();
            throw new IndexCorruptException($"the index in {generation} is inconsistent ({vectors.Count} vectors, {chunks.Count} chunks): rebuild with ./mltutor index --rebuild");
        }
        // A generation of an older schema has no windows: dense retrieval then scores whole chunks only.
        var windowsPath = Path.Combine(generation, WindowsFile);
        FaissIndex? windows = null;
        var storedWindows = new List<StoredWindow>();
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
            storedWindows = ChunkStore.ReadWindows(db);
            if (windows.Count != storedWindows.Count || storedWindows.Any(w => w.ChunkRow < 0 || w.ChunkRow >= chunks.Count || w.Vector.Length != manifest.Dimension))
            {
                windows.Dispose();
                vectors.Dispose();
                throw new IndexCorruptException($"the line windows in {generation} are inconsistent ({windows.Count} vectors, {storedWindows.Count} windows): rebuild with ./mltutor index --rebuild");
            }
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
        return new NotesIndex(generation, manifest, chunks, vectors, keywords, windows, storedWindows);
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
        catch (Exception e) when (e is FaissIndexException or IOException or UnauthorizedAccessException
                                      || e.GetType().Namespace?.StartsWith("Lucene", StringComparison.Ordinal) == true)
        {
            var message = string.Join(' ', e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new IndexCorruptException(
                $"the index in {generation} is damaged ({message}): rebuild it with ./mltutor index --rebuild --index {Path.GetDirectoryName(generation)}", e);
        }
    }

    public void Dispose()
    {
        Vectors.Dispose();
        Windows?.Dispose();
        Keywords.Dispose();
    }
}

/// <summary>No index has been built in the folder yet.</summary>
public sealed class IndexNotBuiltException(string message) : Exception(message);
