using MlTutor.Ingestion;

namespace MlTutor.Tests.Ingestion;

/// <summary>
/// The real notes in ../shared/corpus, read and chunked once for all corpus tests, on first use: a test that uses them
/// is skipped (or fails, see <see cref="SharedFolder"/>) when they are missing.
/// </summary>
public sealed class CorpusChunks
{
    private readonly Lazy<Chunked> _chunked = new(() => new Chunked(SharedFolder.Require("corpus")));

    private Chunked Value
    {
        get
        {
            SharedFolder.Require("corpus"); // every time: a skip must not be cached
            return _chunked.Value;
        }
    }

    public IReadOnlyList<NoteFile> Files => Value.Files;
    public List<IngestionWarning> ReadWarnings => Value.ReadWarnings;
    public List<IngestionWarning> ChunkWarnings => Value.ChunkWarnings;
    public Dictionary<string, IReadOnlyList<Chunk>> ByFile => Value.ByFile;

    public IEnumerable<Chunk> All => ByFile.Values.SelectMany(c => c);

    public static string[] Lines(NoteFile f) => ChunkInvariants.Lines(f.Text);

    private sealed class Chunked
    {
        public Chunked(string corpus)
        {
            var reader = new CorpusReader();
            Files = reader.ReadAll(corpus, ReadWarnings);
            var chunker = new Chunker(TestPieceCounter.Count);
            foreach (var f in Files)
                ByFile[f.RelativePath] = chunker.Chunk(f, ChunkWarnings);
        }

        public IReadOnlyList<NoteFile> Files { get; }
        public List<IngestionWarning> ReadWarnings { get; } = [];
        public List<IngestionWarning> ChunkWarnings { get; } = [];
        public Dictionary<string, IReadOnlyList<Chunk>> ByFile { get; } = new(StringComparer.Ordinal);
    }
}
