using System.Numerics.Tensors;
using MlTutor.Embedding;
using MlTutor.Indexing;

namespace MlTutor.Retrieval;

/// <summary>
/// Semantic retrieval: the question's MiniLM vector against the chunk vectors, by inner product (= cosine, all vectors
/// are unit length). When the index holds line windows and <see cref="DenseOptions.WindowWeight"/> is above 0, a chunk's
/// score mixes its own cosine with that of its best window.
/// A small index (see <see cref="DenseOptions.ExactScanLimit"/>) is scanned whole with the stored vectors: that is both
/// exact and several times faster than FAISS's flat search on CPUs its build does not vectorise for. A larger one takes
/// candidates from both FAISS indexes and rescores them exactly with the same formula.
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
        return Search(_encoder.Embed(query), k);
    }

    /// <summary>The best <paramref name="k"/> chunks for an already embedded question (unit length), best first;
    /// equal scores are ordered by chunk row.</summary>
    public IReadOnlyList<ScoredChunk> Search(float[] vector, int k)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (k <= 0 || _index.Chunks.Count == 0)
            return [];
        if (vector.Length != _index.Manifest.Dimension)
            throw new ArgumentException($"The query vector has {vector.Length} dimensions, the index {_index.Manifest.Dimension}.", nameof(vector));
        var windowed = Options.WindowWeight > 0 && _index.Windows is not null;
        var vectors = _index.Chunks.Count + (windowed ? _index.WindowChunkRows.Length : 0);
        return vectors <= Options.ExactScanLimit ? Scan(vector, k, windowed) : SearchCandidates(vector, k, windowed);
    }

    /// <summary>Every chunk scored exactly: one pass over the contiguous chunk and window vectors.</summary>
    private List<ScoredChunk> Scan(float[] query, int k, bool windowed)
    {
        var top = new TopRows(k);
        for (var row = 0; row < _index.Chunks.Count; row++)
            top.Offer(row, windowed ? Score(query, row) : TensorPrimitives.Dot(query, _index.ChunkVector(row)));
        return top.ToScoredChunks(_index);
    }

    /// <summary>Candidates from FAISS (chunks, and windows mapped to their chunks), rescored exactly.</summary>
    private List<ScoredChunk> SearchCandidates(float[] query, int k, bool windowed)
    {
        if (!windowed)
        {
            var hits = _index.Vectors.Search(query, k);
            var result = new List<ScoredChunk>(hits.Ids.Length);
            for (var i = 0; i < hits.Ids.Length; i++)
                result.Add(new ScoredChunk(_index.Chunks[(int)hits.Ids[i]], hits.Scores[i]));
            return result;
        }

        var depth = Math.Max(k * Options.CandidateFactor, Options.MinCandidates);
        var candidates = new HashSet<int>();
        foreach (var id in _index.Vectors.Search(query, depth).Ids)
            candidates.Add((int)id);
        foreach (var id in _index.Windows!.Search(query, depth).Ids)
            candidates.Add(_index.WindowChunkRows[id]);
        var top = new TopRows(k);
        foreach (var row in candidates)
            top.Offer(row, Score(query, row));
        return top.ToScoredChunks(_index);
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

    /// <summary>The best k rows seen, kept in a bounded heap whose root is the worst kept (lowest score, then highest row).</summary>
    private sealed class TopRows(int k)
    {
        private readonly PriorityQueue<int, (float Score, int Row)> _heap = new(Math.Min(k, 1024) + 1, WorstFirst.Instance);

        public void Offer(int row, float score)
        {
            if (_heap.Count < k)
                _heap.Enqueue(row, (score, row));
            else if (_heap.TryPeek(out _, out var worst) && WorstFirst.Instance.Compare((score, row), worst) > 0)
                _heap.EnqueueDequeue(row, (score, row));
        }

        public List<ScoredChunk> ToScoredChunks(NotesIndex index)
        {
            var result = new ScoredChunk[_heap.Count];
            // Dequeuing yields worst first: fill from the end to get best first.
            for (var i = result.Length - 1; i >= 0; i--)
            {
                _heap.TryDequeue(out var row, out var key);
                result[i] = new ScoredChunk(index.Chunks[row], key.Score);
            }
            return [.. result];
        }

        /// <summary>Orders (score, row) from worst to best: lower score first, and at equal scores the higher row.</summary>
        private sealed class WorstFirst : IComparer<(float Score, int Row)>
        {
            public static readonly WorstFirst Instance = new();

            public int Compare((float Score, int Row) a, (float Score, int Row) b)
            {
                var byScore = a.Score.CompareTo(b.Score);
                return byScore != 0 ? byScore : b.Row.CompareTo(a.Row);
            }
        }
    }
}
