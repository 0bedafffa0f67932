namespace MlTutor.Indexing;

/// <summary>How far a build has come, for a progress bar.</summary>
public sealed record IndexProgress(string Stage, int Done, int Total);
