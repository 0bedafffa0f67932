namespace MlTutor.Indexing;

/// <summary>
/// Checks that a generation's derived files (the FAISS vectors and line windows, the keyword index) can serve the chunks
/// its chunks.db holds. They are derived from chunks.db alone, so a damaged one is rebuilt from the stored vectors and
/// texts without embedding anything again. The check runs before every question, so the FAISS files are checked by
/// their layout (<see cref="FaissFileLayout"/>) rather than loaded: the question loads them once more anyway.
/// </summary>
public static class GenerationCheck
{
    /// <summary>What is damaged, in a few words naming the file, or null when every derived file is readable and complete.</summary>
    public static string? FindDamage(string generation, int chunks, int windows, int dimension) =>
        FaissFileLayout.FindDamage(Path.Combine(generation, NotesIndex.VectorsFile), chunks, dimension)
        ?? FaissFileLayout.FindDamage(Path.Combine(generation, NotesIndex.WindowsFile), windows, dimension)
        ?? KeywordIndex.FindDamage(Path.Combine(generation, NotesIndex.KeywordFolder), chunks);
}
