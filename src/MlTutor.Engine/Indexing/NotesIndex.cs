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

    private readonly Dictionary<string, Chunk> _byId;

    private NotesIndex(string generation, IndexManifest manifest, IReadOnlyList<Chunk> chunks, FaissIndex vectors, KeywordIndex keywords)
    {
        Generation = generation;
        Manifest = manifest;
        Chunks = chunks;
        Vectors = vectors;
        Keywords = keywords;
        _byId = chunks.ToDictionary(c => c.Id);
    }

    public string Generation { get; }
    public IndexManifest Manifest { get; }

    /// <summary>All chunks; a chunk's position is its id in <see cref="Vectors"/>.</summary>
    public IReadOnlyList<Chunk> Chunks { get; }

    public FaissIndex Vectors { get; }
    public KeywordIndex Keywords { get; }

    public Chunk? FindById(string chunkId) => _byId.GetValueOrDefault(chunkId);

    public static NotesIndex Open(IndexFolder folder, KeywordIndexOptions? keywordOptions = null)
    {
        var generation = folder.CurrentGeneration
            ?? throw new IndexNotBuiltException($"no index in {folder.Directory}: build it with ./mltutor index");
        var manifestPath = Path.Combine(generation, IndexManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new IndexCorruptException($"{manifestPath} is missing: rebuild with ./mltutor index --rebuild");
        var manifest = IndexManifest.FromJson(File.ReadAllText(manifestPath), manifestPath);
        var chunks = ChunkStore.ReadChunks(Path.Combine(generation, ChunkStore.FileName)).Select(s => s.Chunk).ToList();
        var vectors = FaissIndex.Load(Path.Combine(generation, VectorsFile));
        if (vectors.Count != chunks.Count || vectors.Dimension != manifest.Dimension)
        {
            vectors.Dispose();
            throw new IndexCorruptException($"the index in {generation} is inconsistent ({vectors.Count} vectors, {chunks.Count} chunks): rebuild with ./mltutor index --rebuild");
        }
        return new NotesIndex(generation, manifest, chunks, vectors, KeywordIndex.Open(Path.Combine(generation, KeywordFolder), keywordOptions));
    }

    public void Dispose()
    {
        Vectors.Dispose();
        Keywords.Dispose();
    }
}

/// <summary>No index has been built in the folder yet.</summary>
public sealed class IndexNotBuiltException(string message) : Exception(message);
