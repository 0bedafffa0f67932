namespace MlTutor.Retrieval;

/// <summary>Ranks the indexed chunks for a question. Implementations: dense (FAISS), keyword (Lucene BM25), hybrid.</summary>
public interface IRetriever
{
    /// <summary>The best <paramref name="k"/> chunks, best first.</summary>
    IReadOnlyList<ScoredChunk> Search(string query, int k);
}
