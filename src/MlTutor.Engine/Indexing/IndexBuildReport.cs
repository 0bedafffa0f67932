using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>What a build did.</summary>
/// <param name="UpToDate">Nothing had changed: no new generation was written.</param>
/// <param name="Embedded">Chunks sent to the encoder; the others reused vectors of the previous generation.</param>
public sealed record IndexBuildReport(
    bool UpToDate, int Files, int Chunks, int Embedded, int Reused, int ChangedFiles, int RemovedFiles,
    long EmbeddedPieces, TimeSpan Elapsed, IReadOnlyList<IngestionWarning> Warnings);
