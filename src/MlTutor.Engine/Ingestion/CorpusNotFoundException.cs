namespace MlTutor.Ingestion;

/// <summary>The corpus folder does not exist: nothing can be indexed, so this one is fatal.</summary>
public sealed class CorpusNotFoundException : TutorException
{
    public CorpusNotFoundException(string corpusDir)
        : base($"Notes folder not found: '{corpusDir}'", Remedy.ChooseNotesFolder)
    {
        CorpusDir = corpusDir;
    }

    public string CorpusDir { get; }
}
