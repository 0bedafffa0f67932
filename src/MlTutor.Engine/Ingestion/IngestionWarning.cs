namespace MlTutor.Ingestion;

/// <summary>Something in the notes that was skipped or handled specially; never fatal.</summary>
/// <param name="File">Path relative to the corpus folder.</param>
/// <param name="Line">1-based line, when the problem has one.</param>
public sealed record IngestionWarning(string File, int? Line, string Message)
{
    public override string ToString() => Line is { } l ? $"{File}:{l}: {Message}" : $"{File}: {Message}";
}
