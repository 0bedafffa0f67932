using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>What a build did.</summary>
/// <param name="UpToDate">Nothing had changed: no new generation was written.</param>
/// <param name="Embedded">Chunks sent to the encoder; the others reused vectors of the previous generation.</param>
/// <param name="Notes">The notes this build changed in the index, by name (empty when it is up to date).</param>
public sealed record IndexBuildReport(
    bool UpToDate, int Files, int Chunks, int Embedded, int Reused, int ChangedFiles, int RemovedFiles,
    long EmbeddedPieces, TimeSpan Elapsed, IReadOnlyList<IngestionWarning> Warnings)
{
    public IReadOnlyList<NoteChange> Notes { get; init; } = [];

    /// <summary>The new generation was written as an update of the last one: its files copied and changed where notes
    /// changed, the kept notes' rows never read (see <see cref="GenerationWriter.Update"/>). False for a full write, and when
    /// nothing was written.</summary>
    public bool Updated { get; init; }
}

/// <summary>A note a build indexed anew or removed from the index.</summary>
/// <param name="Passages">Its passages embedded anew (the rest reused their vectors).</param>
public sealed record NoteChange(string File, int Passages, bool Removed)
{
    public override string ToString() => Removed ? $"{File}: removed" : $"{File}: {Passages} {(Passages == 1 ? "passage" : "passages")}";
}
