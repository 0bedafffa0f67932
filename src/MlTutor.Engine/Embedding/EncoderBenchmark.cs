using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace MlTutor.Embedding;

/// <summary>What one <see cref="EncoderBenchmark"/> run measured.</summary>
/// <param name="Model">Model, file variant and thread count.</param>
/// <param name="Chunks">Texts embedded.</param>
/// <param name="Pieces">Word pieces of those texts ([CLS]/[SEP] included, padding not).</param>
/// <param name="PipelinePiecesPerSecond">Pieces per second through the public path: tokenize, run, pool.</param>
/// <param name="BarePiecesPerSecond">Pieces per second of the ONNX runs alone, on the same batches, inputs built beforehand.</param>
/// <param name="PaddingFraction">Share of the fed tokens that were padding.</param>
/// <param name="QueryP50Ms">Median latency of embedding one short query, warm, with the query encoder.</param>
/// <param name="QueryP99Ms">99th percentile of the same.</param>
/// <param name="QueryThreads">Intra-op threads of the query encoder.</param>
/// <param name="PeakRssMb">Peak resident memory of the process so far, in MiB.</param>
/// <param name="QueryWeightsPacked">Whether the query encoder's session packed the model's weights (see <see cref="MiniLmEncoder.PacksWeights"/>).</param>
public sealed record EncoderBenchmarkResult(
    string Model,
    int Chunks,
    long Pieces,
    double PipelinePiecesPerSecond,
    double BarePiecesPerSecond,
    double PaddingFraction,
    double QueryP50Ms,
    double QueryP99Ms,
    int QueryThreads,
    double PeakRssMb,
    bool QueryWeightsPacked);

/// <summary>
/// Measures the encoder on a set of texts (the corpus chunks' embedded texts) in one run: the whole embedding path against
/// the bare ONNX Runtime calls on the very same sorted, padded batches, so their ratio is the cost of everything around
/// the model; then the warm latency of single short queries. On a machine shared with other work the absolute numbers
/// move from run to run; the ratio much less.
/// </summary>
public static class EncoderBenchmark
{
    public const int DefaultQueryCount = 200;

    /// <param name="queries">Short query texts; by default the first words of texts spread over <paramref name="texts"/>.</param>
    /// <param name="queryEncoder">The encoder that embeds questions, when it is not <paramref name="encoder"/> (it may run
    /// on fewer threads): the query latency is that of the encoder retrieval uses.</param>
    public static EncoderBenchmarkResult Run(
        MiniLmEncoder encoder, IReadOnlyList<string> texts, IReadOnlyList<string>? queries = null, CancellationToken ct = default,
        MiniLmEncoder? queryEncoder = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
            throw new ArgumentException("The benchmark needs at least one text.", nameof(texts));

        var ids = texts.Select(encoder.Tokenizer.Encode).ToArray();
        var batches = encoder.PlanBatches(ids);
        long pieces = ids.Sum(s => (long)s.Length);
        long fed = batches.Sum(b => (long)b.Rows * b.SequenceLength);

        // Warm-up on the batch with the most tokens: creates the session and sizes the encoder's buffers for the run.
        var largest = batches.MaxBy(b => b.Rows * b.SequenceLength)!;
        encoder.EmbedIds(largest.Indices.Select(i => ids[i]).ToArray(), ct: ct);

        var (pipelineSeconds, bareSeconds) = MeasureBatches(encoder, texts, ids, batches, ct);

        queryEncoder ??= encoder;
        var latencies = MeasureQueries(queryEncoder, queries ?? DefaultQueries(texts), ct);

        return new EncoderBenchmarkResult(
            Model: $"{MiniLmEncoder.ModelId} {encoder.Variant.ToString().ToLowerInvariant()}, {encoder.Threads} threads",
            Chunks: texts.Count,
            Pieces: pieces,
            PipelinePiecesPerSecond: pieces / pipelineSeconds,
            BarePiecesPerSecond: pieces / bareSeconds,
            PaddingFraction: (double)(fed - pieces) / fed,
            QueryP50Ms: Percentile(latencies, 0.50),
            QueryP99Ms: Percentile(latencies, 0.99),
            QueryThreads: queryEncoder.Threads,
            PeakRssMb: PeakRssMb(),
            QueryWeightsPacked: queryEncoder.PacksWeights);
    }

    /// <summary>
    /// Times every batch twice, back to back: through the public <see cref="MiniLmEncoder.Embed(IReadOnlyList{string}, IProgress{int}?, CancellationToken)"/>
    /// with the batch's texts (tokenize, fill, run, pool; one call makes exactly this batch), and as a bare
    /// <see cref="InferenceSession"/> run on input tensors built before the clock starts. Interleaving, and swapping which
    /// goes first, keeps load from other processes from favouring either side.
    /// </summary>
    private static (double Pipeline, double Bare) MeasureBatches(
        MiniLmEncoder encoder, IReadOnlyList<string> texts, int[][] ids, List<MiniLmEncoder.Batch> batches, CancellationToken ct)
    {
        var session = encoder.Session;
        var hidden = MiniLmEncoder.AllocateHidden(batches.Max(b => b.Rows * b.SequenceLength));
        var prepared = new List<(MiniLmEncoder.DisposableOrtValues Inputs, OrtValue Output)>(batches.Count);
        try
        {
            foreach (var batch in batches)
            {
                var inputs = new MiniLmEncoder.BatchInputs(batch.Rows * batch.SequenceLength);
                inputs.Fill(ids, batch);
                prepared.Add((inputs.Values(batch), MiniLmEncoder.HiddenValue(hidden, batch)));
            }

            TimeSpan pipeline = TimeSpan.Zero, bare = TimeSpan.Zero;
            for (int b = 0; b < batches.Count; b++)
            {
                ct.ThrowIfCancellationRequested();
                var batchTexts = batches[b].Indices.Select(i => texts[i]).ToArray();
                var (inputs, output) = prepared[b];
                for (int pass = 0; pass < 2; pass++)
                {
                    long start = Stopwatch.GetTimestamp();
                    if ((pass + b) % 2 == 0)
                    {
                        encoder.Embed(batchTexts, ct: ct);
                        pipeline += Stopwatch.GetElapsedTime(start);
                    }
                    else
                    {
                        session.Run(MiniLmEncoder.RunOptions, MiniLmEncoder.InputNameList, inputs,
                            MiniLmEncoder.OutputNameList, [output]);
                        bare += Stopwatch.GetElapsedTime(start);
                    }
                }
            }
            return (pipeline.TotalSeconds, bare.TotalSeconds);
        }
        finally
        {
            foreach (var (inputs, output) in prepared)
            {
                inputs.Dispose();
                output.Dispose();
            }
        }
    }

    private static double[] MeasureQueries(MiniLmEncoder encoder, IReadOnlyList<string> queries, CancellationToken ct)
    {
        // A few untimed queries first: the first runs of a new shape pay for allocations.
        foreach (var query in queries.Take(10))
            encoder.Embed(query);

        var latencies = new double[queries.Count];
        for (int i = 0; i < queries.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            encoder.Embed(queries[i]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return latencies;
    }

    /// <summary>Question-sized texts: the first 5 to 12 words of texts spread evenly over the corpus.</summary>
    internal static List<string> DefaultQueries(IReadOnlyList<string> texts, int count = DefaultQueryCount)
    {
        var queries = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var words = texts[(int)((long)i * texts.Count / count)]
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            int take = 5 + i % 8;
            int skip = words.Length > take ? i % (words.Length - take + 1) : 0;
            queries.Add(string.Join(' ', words.Skip(skip).Take(take)));
        }
        return queries;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0 to 1) of <paramref name="values"/>; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
            return 0;
        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(p * sorted.Length) - 1; // nearest rank
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>VmHWM from /proc on Linux (what the kernel counts), the runtime's peak working set elsewhere.</summary>
    public static double PeakRssMb()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    continue;
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                if (long.TryParse(kb, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                    return value / 1024.0;
            }
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
