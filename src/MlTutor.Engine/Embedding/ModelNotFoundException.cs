namespace MlTutor.Embedding;

/// <summary>A file of the local encoder model is missing: the set-up has not been run, or the model folder was moved.</summary>
public sealed class ModelNotFoundException : TutorException
{
    public ModelNotFoundException(string missingPath)
        : base($"Model file not found: {missingPath}. Install the model", Remedy.InstallModel)
    {
        MissingPath = missingPath;
    }

    /// <summary>The file (or folder) that was looked for.</summary>
    public string MissingPath { get; }
}
