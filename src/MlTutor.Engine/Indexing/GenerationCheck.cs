using MlTutor.Retrieval;

namespace MlTutor.Indexing;

/// <summary>
/// Checks that a generation's derived files (the FAISS vectors and line windows, the keyword index) can serve the chunks
/// its chunks.db holds. They are derived from chunks.db alone, so a damaged one is rebuilt from the stored vectors and
/// texts without embedding anything again.
/// </summary>
public static class GenerationCheck
{
    /// <summary>What is damaged, in a few words naming the file, or null when every derived file is readable and complete.</summary>
    public static string? FindDamage(string generation, int chunks, int windows, int dimension) =>
        FaissDamage(Path.Combine(generation, NotesIndex.VectorsFile), chunks, dimension)
        ?? FaissDamage(Path.Combine(generation, NotesIndex.WindowsFile), windows, dimension)
        ?? KeywordIndex.FindDamage(Path.Combine(generation, NotesIndex.KeywordFolder), chunks);

    private static string? FaissDamage(string path, int expectedCount, int dimension)
    {
        try
        {
            using var index = FaissIndex.Load(path);
            return index.Count == expectedCount && index.Dimension == dimension
                ? null
                : $"{path} holds {index.Count} vectors of {index.Dimension} dimensions, not {expectedCount} of {dimension}";
        }
        catch (FaissIndexException e)
        {
            return e.Message;
        }
    }
}
