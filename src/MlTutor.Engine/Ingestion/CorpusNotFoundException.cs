namespace MlTutor.Ingestion;

/// <summary>The corpus folder does not exist: nothing can be indexed, so this one is fatal.</summary>
public sealed class CorpusNotFoundException : Exception
{
    public CorpusNotFoundException(string corpusDir)
        : base($"Notes folder not found: '{corpusDir}'. Create it or point to your notes with --corpus DIR.")
    {
        CorpusDir = corpusDir;
    }

    public string CorpusDir { get; }
}
