using MlTutor.Ingestion;

namespace MlTutor.Tests.Ingestion;

/// <summary>The real notes in ../shared/corpus, read and chunked once for all corpus tests.</summary>
public sealed class CorpusChunks
{
    public CorpusChunks()
    {
        var reader = new CorpusReader();
        Files = reader.ReadAll(TestPaths.SharedCorpus, ReadWarnings);
        var chunker = new Chunker(TestPieceCounter.Count);
        foreach (var f in Files)
            ByFile[f.RelativePath] = chunker.Chunk(f, ChunkWarnings);
    }

    public IReadOnlyList<NoteFile> Files { get; }
    public List<IngestionWarning> ReadWarnings { get; } = [];
    public List<IngestionWarning> ChunkWarnings { get; } = [];
    public Dictionary<string, IReadOnlyList<Chunk>> ByFile { get; } = new(StringComparer.Ordinal);

    public IEnumerable<Chunk> All => ByFile.Values.SelectMany(c => c);

    public static string[] Lines(NoteFile f) => ChunkInvariants.Lines(f.Text);
}
