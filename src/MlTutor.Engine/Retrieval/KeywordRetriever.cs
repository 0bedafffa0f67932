using MlTutor.Indexing;
using MlTutor.Ingestion;

namespace MlTutor.Retrieval;

/// <summary>BM25 retrieval: a <see cref="KeywordIndex"/> whose chunk ids are turned back into chunks.</summary>
public sealed class KeywordRetriever : IRetriever
{
    private readonly KeywordIndex _index;
    private readonly Func<string, Chunk?> _chunkById;

    /// <param name="chunkById">The chunk for an id, or null when the id is unknown (such hits are skipped, so an index
    /// a little older than the chunk store cannot surface chunks that no longer exist).</param>
    public KeywordRetriever(KeywordIndex index, Func<string, Chunk?> chunkById)
    {
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _chunkById = chunkById ?? throw new ArgumentNullException(nameof(chunkById));
    }

    public KeywordRetriever(KeywordIndex index, IReadOnlyDictionary<string, Chunk> chunks)
        : this(index, id => chunks.GetValueOrDefault(id))
    {
    }

    public KeywordIndex Index => _index;

    public IReadOnlyList<ScoredChunk> Search(string query, int k)
    {
        var hits = new List<ScoredChunk>(Math.Max(k, 0));
        foreach (var (id, score) in _index.Search(query, k))
            if (_chunkById(id) is { } chunk)
                hits.Add(new ScoredChunk(chunk, score));
        return hits;
    }

    /// <summary>See <see cref="KeywordIndex.ScoreUpperBound"/>: divides a top score into a 0..1 figure comparable across queries.</summary>
    public float ScoreUpperBound(string query) => _index.ScoreUpperBound(query);
}
