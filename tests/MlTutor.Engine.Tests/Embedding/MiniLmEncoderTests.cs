using MlTutor.Embedding;
using Xunit;
using Xunit.Abstractions;

namespace MlTutor.Tests.Embedding;

public class MiniLmEncoderTests(EncoderFixture encoders, ITestOutputHelper output) : IClassFixture<EncoderFixture>
{
    private const double ExactCosine = 0.9999;

    [Theory]
    [MemberData(nameof(GoldenCases.Indices), MemberType = typeof(GoldenCases))]
    public void One_text_alone_reproduces_the_reference_embedding(int index)
    {
        var golden = GoldenCases.All[index];

        var vector = encoders.Fp32.Embed(golden.Text);

        Assert.Equal(384, vector.Length);
        Assert.True(GoldenCases.Cosine(vector, golden.Embedding) >= ExactCosine,
            $"cosine {GoldenCases.Cosine(vector, golden.Embedding):F7} for case {index}");
    }

    [Fact]
    public void All_golden_texts_in_one_padded_batch_reproduce_the_reference_in_input_order()
    {
        using var encoder = MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir);
        // One batch holding every case: the short ones carry up to 254 padding positions, which must not reach the mean.
        encoder.BatchSize = GoldenCases.All.Count;
        encoder.MaxBatchTokens = GoldenCases.All.Count * MiniLmTokenizer.MaxPieces;
        encoder.MinBatchFill = 0;
        int batches = 0;
        var progress = new SynchronousProgress(_ => batches++);

        var vectors = encoder.Embed(GoldenCases.All.Select(c => c.Text).ToList(), progress);

        Assert.Equal(1, batches);
        Assert.Equal(GoldenCases.All.Count, vectors.Length);
        foreach (var golden in GoldenCases.All)
        {
            double cosine = GoldenCases.Cosine(vectors[golden.Index], golden.Embedding);
            Assert.True(cosine >= ExactCosine, $"cosine {cosine:F7} for case {golden.Index}");
        }
    }

    [Fact]
    public void A_question_and_its_short_parts_run_in_two_batches_with_the_same_vectors()
    {
        using var encoder = MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir);
        string[] texts =
        [
            "Walk me through Adam the way you'd answer in an interview: which two methods is it built from, and what running average does each of them keep?",
            "Walk me through Adam",
            "which two methods is it built from",
            "what running average does each of them keep?",
        ];
        int batches = 0;
        var split = encoder.Embed(texts, new SynchronousProgress(_ => batches++));
        Assert.Equal(2, batches); // the long question alone, its parts (each under half its length) together

        encoder.MinBatchFill = 0;
        batches = 0;
        var padded = encoder.Embed(texts, new SynchronousProgress(_ => batches++));
        Assert.Equal(1, batches);
        for (int i = 0; i < texts.Length; i++)
            Assert.True(GoldenCases.Cosine(split[i], padded[i]) >= ExactCosine, $"text {i}");
    }

    [Fact]
    public void Sentences_run_in_small_batches_with_the_vectors_of_one_large_batch()
    {
        using var encoder = MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir);
        var texts = Enumerable.Range(0, 20)
            .Select(i => $"Dropout randomly sets {i + 2} of the activations in a layer to zero while training, so no unit can rely on another.")
            .ToList();
        var pieces = encoder.Tokenizer.Encode(texts[0]).Length;
        int batches = 0;

        var large = encoder.Embed(texts, new SynchronousProgress(_ => batches++));
        Assert.Equal(1, batches);
        batches = 0;
        var small = encoder.EmbedSentences(texts, new SynchronousProgress(_ => batches++));

        // As many texts to a batch as fit in the sentence cap: the working memory of a small batch, not of all twenty.
        Assert.Equal((int)Math.Ceiling(texts.Count / (double)(MiniLmEncoder.SentenceBatchTokens / pieces)), batches);
        for (var i = 0; i < texts.Count; i++)
            Assert.True(GoldenCases.Cosine(small[i], large[i]) >= ExactCosine, $"text {i}");
    }

    [Fact]
    public void Default_batching_keeps_input_order_and_unit_length()
    {
        // Shuffled, so that the length sort really moves texts around; twice over, so that there are enough texts
        // for the tokenization to run in parallel.
        var shuffled = GoldenCases.All.OrderBy(c => (c.Index * 37) % 61).ToList();
        var cases = shuffled.Concat(shuffled.AsEnumerable().Reverse()).ToList();

        var vectors = encoders.Fp32.Embed(cases.Select(c => c.Text).ToList());

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.True(GoldenCases.Cosine(vectors[i], cases[i].Embedding) >= ExactCosine, $"case {cases[i].Index}");
            Assert.Equal(1.0, Math.Sqrt(vectors[i].Sum(x => (double)x * x)), 5);
        }
    }

    [Fact]
    public void A_text_past_the_limit_is_embedded_from_its_first_256_pieces()
    {
        var text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"gradient{i}"));
        var ids = encoders.Fp32.Tokenizer.Encode(text);

        var fromText = encoders.Fp32.Embed(text);
        var fromIds = encoders.Fp32.EmbedIds([ids])[0];

        Assert.Equal(MiniLmTokenizer.MaxPieces, ids.Length);
        Assert.Equal(fromIds, fromText);
    }

    [Fact]
    public void Progress_counts_up_to_every_text_and_cancellation_stops_the_run()
    {
        var texts = Enumerable.Range(0, 70).Select(i => $"note {i} about gradient descent").ToList();
        var reports = new List<int>();

        encoders.Fp32.Embed(texts, new SynchronousProgress(reports.Add));

        Assert.Equal(texts.Count, reports[^1]);
        Assert.Equal(reports.Order(), reports);
        Assert.ThrowsAny<OperationCanceledException>(() => encoders.Fp32.Embed(texts, ct: new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task A_text_embedded_while_a_long_run_is_under_way_does_not_wait_for_the_run()
    {
        var encoder = encoders.Fp32;
        var golden = GoldenCases.All[0];
        var passage = string.Join(' ', Enumerable.Repeat("Dropout zeroes random activations during training so that units cannot co-adapt.", 10));
        var firstBatchDone = new ManualResetEventSlim();
        var run = Task.Run(() => encoder.Embed(Enumerable.Repeat(passage, 150).ToList(), new SynchronousProgress(_ => firstBatchDone.Set())));
        Assert.True(firstBatchDone.Wait(TimeSpan.FromMinutes(2)), "the long run embedded nothing");

        var vector = encoder.Embed(golden.Text);
        var runEndedFirst = run.IsCompleted;
        await run;

        Assert.False(runEndedFirst, "the text waited for the whole run");
        Assert.True(GoldenCases.Cosine(vector, golden.Embedding) >= ExactCosine);
    }

    [Fact]
    public void Weights_packed_for_speed_give_the_reference_embeddings_and_the_vectors_of_the_unpacked_session()
    {
        using var packed = MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir, ModelVariant.Fp32, threads: 1, packWeights: true);
        using var unpackedEncoder = MiniLmEncoder.FromModelDirectory(TestPaths.ModelDir, ModelVariant.Fp32, threads: 1);
        Assert.True(packed.PacksWeights);
        Assert.False(unpackedEncoder.PacksWeights);
        var texts = GoldenCases.All.Select(c => c.Text).ToList();

        var vectors = packed.Embed(texts);
        var unpacked = unpackedEncoder.Embed(texts);

        for (var i = 0; i < texts.Count; i++)
        {
            Assert.True(GoldenCases.Cosine(vectors[i], GoldenCases.All[i].Embedding) >= ExactCosine, $"case {i} against the reference");
            Assert.True(GoldenCases.Cosine(vectors[i], unpacked[i]) >= 0.999999, $"case {i} against the unpacked session");
        }
        // Packed, the products run on other kernels that add in another order: the last bits differ somewhere, which shows
        // the runtime was told to pack (the same options twice give the same bits, whatever the threads).
        Assert.Contains(Enumerable.Range(0, texts.Count), i => !vectors[i].AsSpan().SequenceEqual(unpacked[i]));
    }

    [Fact]
    public void Int8_model_stays_close_to_the_reference()
    {
        var single = GoldenCases.All.Select(c => GoldenCases.Cosine(encoders.Int8.Embed(c.Text), c.Embedding)).ToArray();
        var batch = encoders.Int8.Embed(GoldenCases.All.Select(c => c.Text).ToList());
        var batched = GoldenCases.All.Select(c => GoldenCases.Cosine(batch[c.Index], c.Embedding)).ToArray();
        output.WriteLine($"int8 vs reference, alone: worst {single.Min():F4}, mean {single.Average():F4}; " +
                         $"default batches: worst {batched.Min():F4}, mean {batched.Average():F4}");

        // Dynamic quantization scales each activation tensor by its range, padding included, so batching moves int8
        // results a little; on CPUs without VNNI the int8 products are also coarser than the model's own README states.
        Assert.True(single.Min() >= 0.97, $"worst {single.Min():F4}");
        Assert.True(single.Average() >= 0.985, $"mean {single.Average():F4}");
        Assert.True(batched.Min() >= 0.95, $"worst batched {batched.Min():F4}");
    }

    [Fact]
    public void A_missing_model_folder_names_the_file_and_the_fix()
    {
        var dir = Path.Combine(TestPaths.NewTempDir(), "all-MiniLM-L6-v2");

        var e = Assert.Throws<ModelNotFoundException>(() => MiniLmEncoder.FromModelDirectory(dir));

        Assert.Equal(Path.Combine(dir, "model.onnx"), e.MissingPath);
        Assert.Contains("model.onnx", e.Message);
        Assert.Equal(Remedy.InstallModel, e.Remedy);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_missing_int8_file_is_named_even_when_the_rest_is_there()
    {
        var dir = TestPaths.NewTempDir();
        File.Copy(Path.Combine(TestPaths.ModelDir, "vocab.txt"), Path.Combine(dir, "vocab.txt"));

        var e = Assert.Throws<ModelNotFoundException>(() => MiniLmEncoder.FromModelDirectory(dir, ModelVariant.Int8));

        Assert.Equal(Path.Combine(dir, "model.int8.onnx"), e.MissingPath);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the tests need the reports in order and before Embed returns.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
