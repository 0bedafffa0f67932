using MlTutor.Embedding;
using MlTutor.Indexing;

namespace MlTutor.Retrieval;

/// <summary>Semantic retrieval: the question's MiniLM vector against the chunk vectors, by inner product (= cosine, all vectors are unit length).</summary>
public sealed class DenseRetriever(NotesIndex index, MiniLmEncoder encoder) : IRetriever
{
    public IReadOnlyList<ScoredChunk> Search(string query, int k)
    {
        var hits = index.Vectors.Search(encoder.Embed(query), k);
        var result = new List<ScoredChunk>(hits.Ids.Length);
        for (var i = 0; i < hits.Ids.Length; i++)
            result.Add(new ScoredChunk(index.Chunks[(int)hits.Ids[i]], hits.Scores[i]));
        return result;
    }
}
