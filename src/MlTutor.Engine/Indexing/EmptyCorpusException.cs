namespace MlTutor.Indexing;

/// <summary>The corpus folder holds no notes while the index holds some: the index is kept rather than emptied.</summary>
public sealed class EmptyCorpusException(string message) : TutorException(message, Remedy.None);
