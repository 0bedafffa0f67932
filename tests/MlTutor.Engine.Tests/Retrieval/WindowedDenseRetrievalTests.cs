using System.Numerics.Tensors;
using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using MlTutor.Tests.Embedding;
using Xunit;

namespace MlTutor.Tests.Retrieval;

/// <summary>Dense retrieval that scores a chunk by its own vector and its best line window, on a real index built from notes.</summary>
public sealed class WindowedDenseRetrievalTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    // One note whose answer to "Which city is the capital of France?" is a single line inside a chunk about other
    // things, and one chunk that is about France as a whole but never names the capital.
    private const string Mixed = """
        # Assorted facts

        - Bread rises because yeast produces carbon dioxide.
        - A marathon is a little over forty-two kilometres long.
        - Paris is the capital city of France.
        - Violins usually have four strings tuned in fifths.
        - Honey never spoils when it is kept sealed.
        - Chess is played on a board of sixty-four squares.
        """;

    private const string Country = """
        # France

        France is a country in western Europe known for its wine, cheese and cuisine.
        The French Republic borders Spain, Italy, Germany, Belgium and Switzerland and has coasts on the Atlantic and the Mediterranean.
        """;

    [Fact]
    public void A_chunk_is_scored_by_its_own_cosine_mixed_with_its_best_window()
    {
        var encoder = encoders.Fp32;
        using var built = Build(encoder);
        var index = built.Index;
        Assert.NotNull(index.Windows);
        Assert.Equal(index.Windows!.Count, index.WindowChunkRows.Length);
        var mixed = index.Chunks.Single(c => c.File == "mixed.md");
        Assert.Equal(LineWindows.Of(mixed.Text).Count, index.WindowsOf(index.Chunks.ToList().IndexOf(mixed)).Count);

        const string question = "Which city is the capital of France?";
        var q = encoder.Embed(question);
        var chunkCos = TensorPrimitives.Dot(q, encoder.Embed(mixed.EmbeddedText));
        var bestWindow = LineWindows.Of(mixed.Text).Max(w => TensorPrimitives.Dot(q, encoder.Embed(w)));

        var hits = new DenseRetriever(index, encoder, new DenseOptions { WindowWeight = 0.5f }).Search(question, 2);
        Assert.Equal(0.5f * chunkCos + 0.5f * bestWindow, hits.Single(h => h.Chunk.Id == mixed.Id).Score, 4);

        var whole = new DenseRetriever(index, encoder, new DenseOptions { WindowWeight = 0f }).Search(question, 2);
        Assert.Equal(chunkCos, whole.Single(h => h.Chunk.Id == mixed.Id).Score, 4);
    }

    [Fact]
    public void The_line_that_answers_lifts_its_chunk_above_a_chunk_that_is_only_on_the_topic()
    {
        var encoder = encoders.Fp32;
        using var built = Build(encoder);
        const string question = "Which city is the capital of France?";

        var whole = new DenseRetriever(built.Index, encoder, new DenseOptions { WindowWeight = 0f }).Search(question, 2);
        Assert.Equal("country.md", whole[0].Chunk.File);

        var windowed = new DenseRetriever(built.Index, encoder, new DenseOptions { WindowWeight = 0.5f }).Search(question, 2);
        Assert.Equal("mixed.md", windowed[0].Chunk.File);
    }

    [Fact]
    public void Rebuilding_after_an_edit_reuses_the_vectors_of_unchanged_windows()
    {
        var encoder = encoders.Fp32;
        var corpus = TestPaths.NewTempDir("windows-corpus");
        var indexDir = TestPaths.NewTempDir("windows-index");
        try
        {
            File.WriteAllText(Path.Combine(corpus, "mixed.md"), Mixed);
            File.WriteAllText(Path.Combine(corpus, "country.md"), Country);
            var builder = Builder(encoder, indexDir);
            var chunker = new Chunker(encoder.Tokenizer.CountPieces);
            builder.BuildFromCorpus(corpus, new CorpusReader(), chunker);
            var before = ChunkStore.ReadWindows(Path.Combine(new IndexFolder(indexDir).CurrentGeneration!, ChunkStore.FileName));

            File.AppendAllText(Path.Combine(corpus, "country.md"), "\nIts currency is the euro.\n");
            var report = builder.BuildFromCorpus(corpus, new CorpusReader(), chunker);
            var after = ChunkStore.ReadWindows(Path.Combine(new IndexFolder(indexDir).CurrentGeneration!, ChunkStore.FileName));

            Assert.False(report.UpToDate);
            Assert.Equal(before.Count + 1, after.Count);
            var old = before.ToDictionary(w => w.Text, w => w.Vector);
            // Unchanged windows keep their stored vectors bit for bit (a re-embedding could differ in the last bits).
            Assert.All(after.Where(w => old.ContainsKey(w.Text)), w => Assert.Equal(old[w.Text], w.Vector));
            Assert.Contains(after, w => w.Text.Contains("euro"));
        }
        finally
        {
            Directory.Delete(corpus, true);
            Directory.Delete(indexDir, true);
        }
    }

    private static IndexBuilder Builder(MiniLmEncoder encoder, string indexDir) =>
        new(new IndexFolder(indexDir), () => encoder, new IndexManifest(IndexManifest.CurrentSchema, MiniLmEncoder.ModelId, "fp32",
            MiniLmEncoder.HiddenSize, new ChunkerOptions().ToString(), "", 0, 0, default));

    private static BuiltIndex Build(MiniLmEncoder encoder)
    {
        var corpus = TestPaths.NewTempDir("windows-corpus");
        var indexDir = TestPaths.NewTempDir("windows-index");
        File.WriteAllText(Path.Combine(corpus, "mixed.md"), Mixed);
        File.WriteAllText(Path.Combine(corpus, "country.md"), Country);
        Builder(encoder, indexDir).BuildFromCorpus(corpus, new CorpusReader(), new Chunker(encoder.Tokenizer.CountPieces));
        return new BuiltIndex(NotesIndex.Open(new IndexFolder(indexDir)), corpus, indexDir);
    }

    private sealed class BuiltIndex(NotesIndex index, string corpus, string indexDir) : IDisposable
    {
        public NotesIndex Index { get; } = index;

        public void Dispose()
        {
            Index.Dispose();
            Directory.Delete(corpus, true);
            Directory.Delete(indexDir, true);
        }
    }
}
