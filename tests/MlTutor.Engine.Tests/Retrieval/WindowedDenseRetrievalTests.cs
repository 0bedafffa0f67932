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

    // A note long enough for many chunks and windows, so that the exact scan and the FAISS path rank a real field.
    private static readonly string Topics = string.Join("\n\n", new[]
    {
        ("Gradient descent", new[] { "The learning rate scales each step against the gradient.", "Too large a rate makes the loss diverge.", "Momentum averages past gradients to damp oscillation.", "Mini-batches trade gradient noise for speed." }),
        ("Regularisation", new[] { "L2 regularisation adds the squared weights to the loss.", "L1 regularisation drives some weights to exactly zero.", "Dropout silences random units during training.", "Early stopping halts training when validation loss rises." }),
        ("Decision trees", new[] { "A tree splits on the feature that most reduces impurity.", "Gini impurity and entropy are the usual split criteria.", "Deep trees overfit unless they are pruned.", "A random forest averages many trees grown on bootstrap samples." }),
        ("Evaluation", new[] { "Precision is the share of predicted positives that are correct.", "Recall is the share of actual positives that are found.", "The F1 score is the harmonic mean of precision and recall.", "Cross-validation averages scores over several train/test splits." }),
        ("Clustering", new[] { "k-means assigns each point to its nearest centroid.", "The elbow method picks k from the drop in inertia.", "DBSCAN grows clusters from dense neighbourhoods.", "Hierarchical clustering merges the closest clusters step by step." }),
    }.Select(t => $"# {t.Item1}\n\n" + string.Join("\n", t.Item2.Select(l => "- " + l)) + "\n\nSome prose about " + t.Item1.ToLowerInvariant() + " follows here, to give the chunk more than a list."));

    [Fact]
    public void The_exact_scan_ranks_and_scores_exactly_as_faiss_candidates_rescored_by_the_same_formula()
    {
        var encoder = encoders.Fp32;
        using var built = Build(encoder, ("topics.md", Topics));
        var index = built.Index;
        Assert.True(index.Chunks.Count >= 5);
        Assert.True(index.WindowChunkRows.Length > index.Chunks.Count);
        string[] questions = ["What does the learning rate do?", "Which regulariser zeroes weights?", "How is F1 computed?", "capital of France",
            "How does k-means assign points?", "bread and yeast", "pruning deep trees", "xyzzy"];
        foreach (var weight in new[] { 0.5f, 0f })
        {
            var scan = new DenseRetriever(index, encoder, new DenseOptions { WindowWeight = weight });
            var faiss = new DenseRetriever(index, encoder, new DenseOptions { WindowWeight = weight, ExactScanLimit = 0 });
            foreach (var question in questions)
            {
                var q = encoder.Embed(question);
                // The formula written out over every chunk, ties by row, as the reference ranking.
                var reference = Enumerable.Range(0, index.Chunks.Count)
                    .Select(row => (Row: row, Score: Reference(index, q, row, weight)))
                    .OrderByDescending(c => c.Score).ThenBy(c => c.Row).ToList();
                foreach (var k in new[] { 1, 3, index.Chunks.Count + 5 })
                {
                    var fromScan = scan.Search(q, k);
                    var fromFaiss = faiss.Search(q, k);
                    var expected = reference.Take(k).ToList();
                    Assert.Equal(expected.Select(e => index.Chunks[e.Row].Id), fromScan.Select(h => h.Chunk.Id));
                    Assert.Equal(fromFaiss.Select(h => h.Chunk.Id), fromScan.Select(h => h.Chunk.Id));
                    if (weight > 0)
                    {
                        // The windowed score is computed the same way on both paths: equal to the bit.
                        Assert.Equal(expected.Select(e => e.Score), fromScan.Select(h => h.Score));
                        Assert.Equal(fromFaiss.Select(h => h.Score), fromScan.Select(h => h.Score));
                    }
                    else
                        // FAISS computes the whole-chunk inner product itself: equal up to float rounding.
                        Assert.All(fromScan.Zip(fromFaiss), p => Assert.Equal(p.Second.Score, p.First.Score, 5));
                }
            }
        }
    }

    [Fact]
    public void A_question_of_several_parts_scores_each_chunk_by_the_whole_mixed_with_its_best_part()
    {
        var encoder = encoders.Fp32;
        using var built = Build(encoder, ("topics.md", Topics));
        var index = built.Index;
        const string question = "I keep mixing these up in interviews. How is the F1 score computed? And what does dropout do during training?";
        var parts = QuestionParts.Split(question);
        Assert.Equal(3, parts.Count);
        var whole = encoder.Embed(question);
        var partVectors = parts.Select(encoder.Embed).ToList();

        var options = new DenseOptions { WindowWeight = 0.5f, PartWeight = 0.5f };
        var search = new DenseRetriever(index, encoder, options).SearchDetailed(question, index.Chunks.Count);
        Assert.Equal(index.Chunks.Count, search.Ranked.Count);
        foreach (var hit in search.Ranked)
        {
            var row = index.Chunks.ToList().IndexOf(hit.Chunk);
            var expected = 0.5f * Reference(index, whole, row, 0.5f) + 0.5f * partVectors.Max(p => Reference(index, p, row, 0.5f));
            Assert.Equal(expected, hit.Score, 4);
        }
        // Both asked-about chunks lead; the whole question alone is pulled towards neither.
        var top2 = search.Ranked.Take(2).Select(h => h.Chunk.HeadingPath).ToList();
        Assert.Contains(top2, h => h.Contains("Evaluation"));
        Assert.Contains(top2, h => h.Contains("Regularisation"));

        // The not-covered signal is the whole question's best score, as without parts.
        var wholeOnly = new DenseRetriever(index, encoder, options with { PartWeight = 0f }).SearchDetailed(question, 3);
        Assert.Equal(wholeOnly.Ranked[0].Score, search.BestWholeScore!.Value, 5);
    }

    [Fact]
    public void Parts_are_scored_the_same_by_the_exact_scan_and_by_faiss_candidates()
    {
        var encoder = encoders.Fp32;
        using var built = Build(encoder, ("topics.md", Topics));
        var index = built.Index;
        var options = new DenseOptions { WindowWeight = 0.5f, PartWeight = 0.5f };
        var scan = new DenseRetriever(index, encoder, options);
        var faiss = new DenseRetriever(index, encoder, options with { ExactScanLimit = 0 });
        foreach (var question in new[] { "What does the learning rate do? Which regulariser zeroes weights?", "How does k-means assign points; and what is DBSCAN?" })
            foreach (var k in new[] { 1, 4 })
            {
                var a = scan.SearchDetailed(question, k);
                var b = faiss.SearchDetailed(question, k);
                Assert.Equal(a.Ranked.Select(h => (h.Chunk.Id, h.Score)), b.Ranked.Select(h => (h.Chunk.Id, h.Score)));
                Assert.Equal(a.BestWholeScore, b.BestWholeScore);
            }
    }

    private static float Reference(NotesIndex index, float[] q, int row, float weight)
    {
        var chunk = TensorPrimitives.Dot(q, index.ChunkVector(row));
        var (first, count) = index.WindowsOf(row);
        if (weight <= 0) return chunk;
        var best = count == 0 ? chunk : Enumerable.Range(first, count).Max(w => TensorPrimitives.Dot(q, index.WindowVector(w)));
        return (1 - weight) * chunk + weight * best;
    }

    private static IndexBuilder Builder(MiniLmEncoder encoder, string indexDir) =>
        new(new IndexFolder(indexDir), () => encoder, new IndexManifest(IndexManifest.CurrentSchema, MiniLmEncoder.ModelId, "fp32",
            MiniLmEncoder.HiddenSize, new ChunkerOptions().ToString(), "", 0, 0, default));

    private static BuiltIndex Build(MiniLmEncoder encoder, params (string Name, string Text)[] more)
    {
        var corpus = TestPaths.NewTempDir("windows-corpus");
        var indexDir = TestPaths.NewTempDir("windows-index");
        File.WriteAllText(Path.Combine(corpus, "mixed.md"), Mixed);
        File.WriteAllText(Path.Combine(corpus, "country.md"), Country);
        foreach (var (name, text) in more)
            File.WriteAllText(Path.Combine(corpus, name), text);
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
