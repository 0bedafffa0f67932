using System.Numerics.Tensors;
using MlTutor.Embedding;
using MlTutor.Indexing;

namespace MlTutor.Retrieval;

/// <summary>
/// A dense ranking, best first, and the best similarity of the whole question to any chunk, its parts aside (null when
/// nothing was searched). The not-covered decision reads the latter: one part of a question can match a passage well
/// while the question as a whole is about something the notes do not hold.
/// </summary>
public sealed record DenseSearch(IReadOnlyList<ScoredChunk> Ranked, float? BestWholeScore)
{
    public static DenseSearch Empty { get; } = new([], null);
}

/// <summary>
/// Semantic retrieval: the question's MiniLM vector against the chunk vectors, by inner product (= cosine, all vectors
/// are unit length). When the index holds line windows and <see cref="DenseOptions.WindowWeight"/> is above 0, a chunk's
/// score mixes its own cosine with that of its best window. A question of several parts (<see cref="QuestionParts"/>) is
/// also embedded part by part, and a chunk's score mixes in its best part's (<see cref="DenseOptions.PartWeight"/>).
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

    public IReadOnlyList<ScoredChunk> Search(string query, int k) => SearchDetailed(query, k).Ranked;

    /// <summary>The best <paramref name="k"/> chunks, best first, and the whole question's best similarity.</summary>
    public DenseSearch SearchDetailed(string query, int k)
    {
        if (k <= 0 || _index.Chunks.Count == 0)
            return DenseSearch.Empty;
        var parts = Options.PartWeight > 0 ? QuestionParts.Split(query) : [];
        if (parts.Count == 0)
            return Search(_encoder.Embed(query), [], k);
        // One batch: the whole question first, then its parts.
        var vectors = _encoder.Embed([query, .. parts]);
        return Search(vectors[0], vectors[1..], k);
    }

    /// <summary>The best <paramref name="k"/> chunks for an already embedded question (unit length), best first;
    /// equal scores are ordered by chunk row.</summary>
    public IReadOnlyList<ScoredChunk> Search(float[] vector, int k) => Search(vector, [], k).Ranked;

    /// <summary>As <see cref="Search(float[], int)"/>, for a question embedded whole and by its parts
    /// (<see cref="QuestionParts"/>; none for a one-part question).</summary>
    public DenseSearch Search(float[] vector, IReadOnlyList<float[]> parts, int k)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(parts);
        if (k <= 0 || _index.Chunks.Count == 0)
            return DenseSearch.Empty;
        foreach (var v in parts.Prepend(vector))
            if (v.Length != _index.Manifest.Dimension)
                throw new ArgumentException($"The query vector has {v.Length} dimensions, the index {_index.Manifest.Dimension}.", nameof(vector));
        var query = new Query(vector, Options.PartWeight > 0 ? parts : [], Options.WindowWeight > 0 && _index.Windows is not null);
        var vectors = _index.Chunks.Count + (query.Windowed ? _index.WindowChunkRows.Length : 0);
        return vectors <= Options.ExactScanLimit ? Scan(query, k) : SearchCandidates(query, k);
    }

    /// <summary>A question's vectors and how chunks are scored against them.</summary>
    private sealed record Query(float[] Whole, IReadOnlyList<float[]> Parts, bool Windowed);

    /// <summary>Every chunk scored exactly: one pass over the contiguous chunk and window vectors.</summary>
    private DenseSearch Scan(Query query, int k)
    {
        var top = new TopRows(k);
        var bestWhole = float.NegativeInfinity;
        for (var row = 0; row < _index.Chunks.Count; row++)
        {
            var (score, whole) = Score(query, row);
            top.Offer(row, score);
            bestWhole = Math.Max(bestWhole, whole);
        }
        return new DenseSearch(top.ToScoredChunks(_index), bestWhole);
    }

    /// <summary>Candidates from FAISS (chunks, and windows mapped to their chunks) for each of the question's vectors,
    /// rescored exactly.</summary>
    private DenseSearch SearchCandidates(Query query, int k)
    {
        if (!query.Windowed && query.Parts.Count == 0)
        {
            var hits = _index.Vectors.Search(query.Whole, k);
            var result = new List<ScoredChunk>(hits.Ids.Length);
            for (var i = 0; i < hits.Ids.Length; i++)
                result.Add(new ScoredChunk(_index.Chunks[(int)hits.Ids[i]], hits.Scores[i]));
            return new DenseSearch(result, result.Count > 0 ? result[0].Score : null);
        }

        var depth = Math.Max(k * Options.CandidateFactor, Options.MinCandidates);
        var candidates = new HashSet<int>();
        foreach (var vector in query.Parts.Prepend(query.Whole))
        {
            foreach (var id in _index.Vectors.Search(vector, depth).Ids)
                candidates.Add((int)id);
            if (query.Windowed)
                foreach (var id in _index.Windows!.Search(vector, depth).Ids)
                    candidates.Add(_index.WindowChunkRows[id]);
        }
        var top = new TopRows(k);
        var bestWhole = float.NegativeInfinity;
        foreach (var row in candidates)
        {
            var (score, whole) = Score(query, row);
            top.Offer(row, score);
            bestWhole = Math.Max(bestWhole, whole);
        }
        return new DenseSearch(top.ToScoredChunks(_index), candidates.Count > 0 ? bestWhole : null);
    }

    /// <summary>The chunk's score, (1 − p) · the whole question's similarity + p · its best part's, and the whole
    /// question's similarity alone.</summary>
    private (float Score, float Whole) Score(Query query, int row)
    {
        var whole = Similarity(query.Whole, row, query.Windowed);
        if (query.Parts.Count == 0)
            return (whole, whole);
        var best = float.NegativeInfinity;
        foreach (var part in query.Parts)
            best = Math.Max(best, Similarity(part, row, query.Windowed));
        return ((1 - Options.PartWeight) * whole + Options.PartWeight * best, whole);
    }

    /// <summary>The chunk's cosine, or with windows (1 − w) · chunk cosine + w · best window cosine; a chunk without
    /// windows counts its own cosine for both.</summary>
    private float Similarity(float[] vector, int row, bool windowed)
    {
        var chunk = TensorPrimitives.Dot(vector, _index.ChunkVector(row));
        if (!windowed)
            return chunk;
        var best = float.NegativeInfinity;
        var (first, count) = _index.WindowsOf(row);
        for (var w = first; w < first + count; w++)
            best = Math.Max(best, TensorPrimitives.Dot(vector, _index.WindowVector(w)));
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
