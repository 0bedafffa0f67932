using System.Numerics.Tensors;
using MlTutor.Embedding;
using MlTutor.Indexing;

namespace MlTutor.Retrieval;

/// <summary>
/// Semantic retrieval: the question's MiniLM vector against the chunk vectors, by inner product (= cosine, all vectors
/// are unit length). When the index holds line windows and <see cref="DenseOptions.WindowWeight"/> is above 0, a chunk's
/// score mixes its own cosine with that of its best window: candidates come from both FAISS indexes and are rescored
/// exactly with the stored vectors.
/// </summary>
public sealed class DenseRetriever : IRetriever
{
    private readonly NotesIndex _index;
    private readonly MiniLmEncoder _encoder;

    public DenseRetriever(NotesIndex index, MiniLmEncoder encoder, DenseOptions? options = null)
    {
        _index = index ?? throw new ArgumentNullException(nameof(index));
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        Options = options ?? DenseOptions.Default;
        Options.Validate();
    }

    public DenseOptions Options { get; }

    public IReadOnlyList<ScoredChunk> Search(string query, int k)
    {
        if (k <= 0 || _index.Chunks.Count == 0)
            return [];
        var vector = _encoder.Embed(query);
        if (Options.WindowWeight <= 0 || _index.Windows is null)
        {
            var hits = _index.Vectors.Search(vector, k);
            var result = new List<ScoredChunk>(hits.Ids.Length);
            for (var i = 0; i < hits.Ids.Length; i++)
                result.Add(new ScoredChunk(_index.Chunks[(int)hits.Ids[i]], hits.Scores[i]));
            return result;
        }

        var depth = Math.Max(k * Options.CandidateFactor, Options.MinCandidates);
        var candidates = new HashSet<int>();
        foreach (var id in _index.Vectors.Search(vector, depth).Ids)
            candidates.Add((int)id);
        foreach (var id in _index.Windows.Search(vector, depth).Ids)
            candidates.Add(_index.WindowChunkRows[id]);
        return candidates
            .Select(row => (Row: row, Score: Score(vector, row)))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Row)
            .Take(k)
            .Select(c => new ScoredChunk(_index.Chunks[c.Row], c.Score))
            .ToList();
    }

    /// <summary>(1 − w) · chunk cosine + w · best window cosine; a chunk without windows counts its own cosine for both.</summary>
    private float Score(float[] query, int row)
    {
        var chunk = TensorPrimitives.Dot(query, _index.ChunkVector(row));
        var best = float.NegativeInfinity;
        var (first, count) = _index.WindowsOf(row);
        for (var w = first; w < first + count; w++)
            best = Math.Max(best, TensorPrimitives.Dot(query, _index.WindowVector(w)));
        if (count == 0) best = chunk;
        return (1 - Options.WindowWeight) * chunk + Options.WindowWeight * best;
    }
}
