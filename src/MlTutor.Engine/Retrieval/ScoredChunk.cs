using MlTutor.Ingestion;

namespace MlTutor.Retrieval;

/// <summary>A chunk with the score its retriever gave it; higher is better.</summary>
public sealed record ScoredChunk(Chunk Chunk, float Score);
