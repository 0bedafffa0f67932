using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace MlTutor.Embedding;

/// <summary>
/// The local sentence encoder: all-MiniLM-L6-v2 on ONNX Runtime, mean-pooled over the real tokens and L2-normalised,
/// exactly as sentence-transformers computes it. Many texts are sorted by length and run in batches padded only to the
/// longest text of their batch; the input and output buffers are allocated once and reused.
/// </summary>
public sealed class MiniLmEncoder : IDisposable
{
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>Default of <see cref="BatchSize"/>: bigger batches gain nothing on CPU.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>
    /// Default of <see cref="MaxBatchTokens"/>: long texts go 8 to a batch. The attention scores grow with
    /// rows × length², and 32 texts of 256 pieces took the process past 700 MB for no gain in speed.
    /// </summary>
    public const int DefaultMaxBatchTokens = 2048;

    /// <summary>
    /// The batch cap of <see cref="EmbedSentences"/>: short texts embedded while someone waits (the units an answer ranks,
    /// the claims a grade compares). ONNX Runtime keeps the working memory of the largest batch a session has run, and a
    /// one-question process is measured by its peak: in small batches that peak is lower at the same speed, while the
    /// index, built in them, would take longer.
    /// </summary>
    public const int SentenceBatchTokens = 256;

    /// <summary>Length of every embedding.</summary>
    public const int HiddenSize = 384;
    private const int ParallelTokenizeThreshold = 64;
    private const string OutputName = "last_hidden_state";
    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = [OutputName];

    private readonly Lazy<InferenceSession> _session;
    private readonly object _gate = new();
    private byte[]? _modelBytes;
    private BatchInputs? _inputs;
    private float[]? _hidden;
    private bool _disposed;
    private int _batchSize = DefaultBatchSize;
    private int _maxBatchTokens = DefaultMaxBatchTokens;
    private double _minBatchFill = 0.5;

    private MiniLmEncoder(MiniLmTokenizer tokenizer, string modelPath, ModelVariant variant, int threads, bool packWeights)
    {
        Tokenizer = tokenizer;
        ModelPath = modelPath;
        Variant = variant;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        PacksWeights = packWeights;
        _session = new Lazy<InferenceSession>(CreateSession, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The tokenizer whose ids the model is fed (the chunker budgets with the same one).</summary>
    public MiniLmTokenizer Tokenizer { get; }

    public string ModelPath { get; }
    public ModelVariant Variant { get; }

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; }

    /// <summary>
    /// Whether the session copies every weight matrix into the layout of the matrix-product kernels when it starts
    /// ("pre-packing"). Packed, a short text embeds in a little over half the time, since an unpacked product packs its
    /// weights again on every call; but packing costs the process tens of megabytes, which a process that embeds one
    /// question never earns back. Hosts that embed question after question (a chat, the web page, a batch) pack.
    /// </summary>
    public bool PacksWeights { get; }

    /// <summary>Most texts per batch.</summary>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    /// <summary>Most tokens (rows × padded length) per batch; a single text always fits.</summary>
    public int MaxBatchTokens
    {
        get => _maxBatchTokens;
        set => _maxBatchTokens = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    }

    /// <summary>
    /// A text shorter than this fraction of its batch's longest text starts a new batch (0: length never splits a batch).
    /// Default 0.5: padded further, a text would cost more than twice its own work.
    /// </summary>
    public double MinBatchFill
    {
        get => _minBatchFill;
        set => _minBatchFill = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be between 0 and 1");
    }

    /// <summary>Length of every embedding.</summary>
    public int Dimension => HiddenSize;

    /// <summary>
    /// Opens the model folder (<c>vocab.txt</c> and <c>model.onnx</c> or <c>model.int8.onnx</c>); the ONNX session is
    /// created on first use.
    /// </summary>
    /// <param name="threads">Intra-op threads; 0 means one per processor.</param>
    /// <param name="packWeights">See <see cref="PacksWeights"/>.</param>
    /// <exception cref="ModelNotFoundException">The folder or one of its files is missing.</exception>
    public static MiniLmEncoder FromModelDirectory(string dir, ModelVariant variant = ModelVariant.Fp32, int threads = 0, bool packWeights = false)
    {
        var modelPath = Path.Combine(dir, FileName(variant));
        if (!File.Exists(modelPath))
            throw new ModelNotFoundException(modelPath);
        return new MiniLmEncoder(MiniLmTokenizer.FromModelDirectory(dir), modelPath, variant, threads, packWeights);
    }

    public static string FileName(ModelVariant variant) => variant switch
    {
        ModelVariant.Fp32 => "model.onnx",
        ModelVariant.Int8 => "model.int8.onnx",
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    /// <summary>
    /// Loads the model on a thread of the pool, so that a caller that will soon embed can do other work meanwhile (loading
    /// takes a cold question's largest single step). Embedding before it is done waits for the same load.
    /// </summary>
    public void StartLoading() => ThreadPool.UnsafeQueueUserWorkItem(static encoder => encoder.Load(), this, preferLocal: false);

    /// <summary>
    /// Loads the model and runs it once on the shortest input, on the caller's thread (see <see cref="StartLoading"/>):
    /// the first run of a session sets up what every later run reuses, which a first question would otherwise wait for.
    /// </summary>
    public void Load()
    {
        // Under the gate, so that disposing waits for a load under way rather than leaving its session behind.
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                _ = _session.Value;
                EmbedIds([[Tokenizer.ClsId, Tokenizer.SepId]]);
            }
            catch (Exception e) when (e is InvalidDataException or OnnxRuntimeException)
            {
                // The first embedding meets the same error and reports it.
            }
        }
    }

    /// <summary>Whether the model is loaded (by <see cref="StartLoading"/> or a first embedding).</summary>
    public bool IsLoaded => _session.IsValueCreated;

    /// <summary>Embedding of one text (a query).</summary>
    public float[] Embed(string text) => EmbedIds([Tokenizer.Encode(text)])[0];

    /// <summary>Embeddings of the texts, in their order.</summary>
    /// <param name="progress">Receives the number of texts embedded so far, after each batch.</param>
    public float[][] Embed(IReadOnlyList<string> texts, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new int[texts.Count][];
        // Tokenizing comes before the first batch (the batches are sorted by length), while the model's threads wait:
        // on many texts it is spread over the cores. The tokenizer is stateless, so this is safe.
        if (ids.Length >= ParallelTokenizeThreshold)
            Parallel.For(0, ids.Length, new ParallelOptions { CancellationToken = ct }, i => ids[i] = Tokenizer.Encode(texts[i]));
        else
            for (int i = 0; i < ids.Length; i++)
                ids[i] = Tokenizer.Encode(texts[i]);
        return EmbedIds(ids, progress, ct);
    }

    /// <summary>Embeddings of a few short texts, in their order, in batches of at most <see cref="SentenceBatchTokens"/>.</summary>
    /// <param name="progress">Receives the number of texts embedded so far, after each batch.</param>
    public float[][] EmbedSentences(IReadOnlyList<string> texts, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return EmbedIds([.. texts.Select(Tokenizer.Encode)], progress, maxBatchTokens: SentenceBatchTokens);
    }

    /// <summary>
    /// Embeddings of already tokenized texts, in their order: each entry as <see cref="MiniLmTokenizer.Encode"/> returns it,
    /// <c>[CLS]</c> first and <c>[SEP]</c> last, at most <see cref="MiniLmTokenizer.MaxPieces"/> ids.
    /// </summary>
    /// <param name="maxBatchTokens">The batch cap of this call, if not <see cref="MaxBatchTokens"/>.</param>
    public float[][] EmbedIds(IReadOnlyList<int[]> ids, IProgress<int>? progress = null, CancellationToken ct = default, int? maxBatchTokens = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (maxBatchTokens is { } cap) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap, nameof(maxBatchTokens));
        foreach (var seq in ids)
        {
            if (seq is null || seq.Length == 0 || seq.Length > MiniLmTokenizer.MaxPieces)
                throw new ArgumentException($"Every id sequence must hold 1 to {MiniLmTokenizer.MaxPieces} ids.", nameof(ids));
        }

        var result = new float[ids.Count][];
        var session = Session;
        var batches = PlanBatches(ids, maxBatchTokens);
        var largest = batches.Count == 0 ? 0 : batches.Max(b => b.Rows * b.SequenceLength);
        // The kept buffers serve one call at a time. A call that finds them busy (a question while a build embeds in the
        // background) runs beside it on buffers of its own rather than waiting for the whole build: a session runs
        // concurrent calls safely.
        var gateTaken = false;
        try
        {
            Monitor.TryEnter(_gate, ref gateTaken);
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (gateTaken)
                EnsureBuffers(largest);
            var inputs = gateTaken ? _inputs! : new BatchInputs(largest);
            var hidden = gateTaken ? _hidden! : AllocateHidden(largest);
            int done = 0;
            foreach (var batch in batches)
            {
                ct.ThrowIfCancellationRequested();
                inputs.Fill(ids, batch);
                using (var values = inputs.Values(batch))
                using (var output = HiddenValue(hidden, batch))
                    session.Run(RunOptions, InputNames, values, OutputNames, [output]);
                Pool(hidden, ids, batch, result);
                done += batch.Rows;
                progress?.Report(done);
            }
        }
        finally
        {
            if (gateTaken)
                Monitor.Exit(_gate);
        }
        return result;
    }

    /// <summary>
    /// The order the texts are run in: longest first, in batches of up to <see cref="BatchSize"/> texts and
    /// <paramref name="maxBatchTokens"/> tokens (default <see cref="MaxBatchTokens"/>), so that a batch is padded only to
    /// its own longest text and the largest buffers are taken at the start. A text shorter than <see cref="MinBatchFill"/>
    /// of its batch's longest starts a new batch. This matters for a question embedded with its parts (one long text, a
    /// few short ones); sorted chunks of the notes shrink gradually and are hardly affected.
    /// </summary>
    internal List<Batch> PlanBatches(IReadOnlyList<int[]> ids, int? maxBatchTokens = null)
    {
        var (batchSize, tokenCap) = (BatchSize, maxBatchTokens ?? MaxBatchTokens);
        var minFill = MinBatchFill;
        // Stable, so equal lengths keep input order and a run is reproducible.
        var sorted = Enumerable.Range(0, ids.Count).OrderByDescending(i => ids[i].Length).ToArray();
        var batches = new List<Batch>(sorted.Length / batchSize + 1);
        for (int start = 0; start < sorted.Length;)
        {
            int seqLen = ids[sorted[start]].Length;
            int limit = Math.Min(sorted.Length - start, Math.Clamp(tokenCap / seqLen, 1, batchSize));
            int rows = 1;
            while (rows < limit && ids[sorted[start + rows]].Length >= minFill * seqLen) rows++;
            batches.Add(new Batch(sorted.AsSpan(start, rows).ToArray(), seqLen));
            start += rows;
        }
        return batches;
    }

    /// <summary>Indices (into the caller's list) of the texts of one batch, and the length all are padded to.</summary>
    internal sealed record Batch(int[] Indices, int SequenceLength)
    {
        public int Rows => Indices.Length;
    }

    internal InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session.Value;
        }
    }

    internal static RunOptions RunOptions { get; } = new();
    internal static IReadOnlyList<string> InputNameList => InputNames;
    internal static IReadOnlyList<string> OutputNameList => OutputNames;

    private void EnsureBuffers(int tokens)
    {
        if (_inputs is not null && _inputs.Capacity >= tokens)
            return;
        // Grown once per call at most, to the largest batch of the call, and kept for the next calls.
        _inputs = new BatchInputs(tokens);
        _hidden = AllocateHidden(tokens);
    }

    /// <summary>
    /// The session, from the model converted to ONNX Runtime's own format when that copy exists (see <see cref="OrtCachePath"/>):
    /// its weights are used in place from one pinned array instead of being parsed out of protobuf and copied, which took a
    /// cold question's session from about 340 to 180 ms. The first session writes the copy; the graph is the same
    /// (optimized at the extended level, which for this model gives exactly the outputs of the full level: no layout
    /// transformations apply to a transformer without convolutions), so every embedding stays bit for bit the same.
    /// </summary>
    private InferenceSession CreateSession()
    {
        var cache = OrtCachePath(ModelPath);
        if (cache is not null && File.Exists(cache))
        {
            try
            {
                return SessionFromOrtFile(cache);
            }
            catch (Exception e) when (e is OnnxRuntimeException or IOException or UnauthorizedAccessException)
            {
                // A damaged or unreadable copy: the model itself is loaded below, and the copy written again.
                TryDelete(cache);
            }
        }
        using var options = NewSessionOptions();
        string? written = null;
        if (cache is not null && TryCreateDirectory(Path.GetDirectoryName(cache)!))
        {
            written = $"{cache}.{Guid.NewGuid():N}.tmp";
            options.OptimizedModelFilePath = written;
            options.AddSessionConfigEntry("session.save_model_format", "ORT");
        }
        try
        {
            var session = new InferenceSession(ModelPath, options);
            if (written is not null) Publish(written, cache!);
            return session;
        }
        catch (OnnxRuntimeException e)
        {
            if (written is not null) TryDelete(written);
            throw new InvalidDataException($"Cannot load the ONNX model {ModelPath}: {e.Message}", e);
        }
    }

    private SessionOptions NewSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        // Unpacked, a cold command (a question, an edit) starts a little sooner and stays smaller, and bulk embedding is as
        // fast: its products are large enough for packing on the fly to cost little (see PacksWeights).
        if (!PacksWeights) options.AddSessionConfigEntry("session.disable_prepacking", "1");
        // Between its parallel steps ONNX Runtime's worker threads would spin, waiting for the next one. On a machine with
        // few cores that spinning takes the core from the work beside the model (an index update chunks notes and reads
        // the last generation while the model loads and runs): without it, a build and a bulk embedding measured faster.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private InferenceSession SessionFromOrtFile(string path)
    {
        byte[] bytes;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            // ONNX Runtime keeps pointers into the array for the session's life: it is pinned (never moved) and held here.
            bytes = GC.AllocateUninitializedArray<byte>(checked((int)file.Length), pinned: true);
            HugePages.Advise(bytes);
            file.ReadExactly(bytes);
        }
        using var options = NewSessionOptions();
        options.AddSessionConfigEntry("session.use_ort_model_bytes_directly", "1");
        options.AddSessionConfigEntry("session.use_ort_model_bytes_for_initializers", "1");
        var session = new InferenceSession(bytes, options);
        _modelBytes = bytes;
        return session;
    }

    /// <summary>Where the model's copy in ONNX Runtime's format is kept: beside the model, named by the model file's size and
    /// time and by the ONNX Runtime version, so that a changed model or runtime never reads an old copy; null when the model
    /// folder is not ours to write in (the copy is then not made, and the model loaded as it is).</summary>
    internal static string? OrtCachePath(string modelPath)
    {
        try
        {
            var model = new FileInfo(modelPath);
            var runtime = OrtEnv.Instance().GetVersionString();
            return Path.Combine(model.DirectoryName!, ".ort-cache",
                $"{model.Name}.{model.Length}-{model.LastWriteTimeUtc.Ticks}.ort{runtime}.extended.ort");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            return null;
        }
    }

    private static bool TryCreateDirectory(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Moves a completely written copy into place; another process may have put one there first, which is as good.</summary>
    private static void Publish(string written, string cache)
    {
        try
        {
            if (new FileInfo(written).Length > 0) File.Move(written, cache, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        finally
        {
            TryDelete(written);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_session.IsValueCreated)
                _session.Value.Dispose();
            _modelBytes = null;
            _inputs = null;
            _hidden = null;
        }
    }

    /// <summary>
    /// Pinned input arrays for one batch at a time. ONNX Runtime reads them in place: an <see cref="OrtValue"/> over a
    /// slice is only a view, so a batch allocates no tensor memory.
    /// </summary>
    internal sealed class BatchInputs
    {
        private readonly long[] _inputIds;
        private readonly long[] _attentionMask;
        private readonly long[] _tokenTypeIds; // stays all zero: single-sentence input

        public BatchInputs(int capacity)
        {
            Capacity = capacity;
            _inputIds = GC.AllocateArray<long>(capacity, pinned: true);
            _attentionMask = GC.AllocateArray<long>(capacity, pinned: true);
            _tokenTypeIds = GC.AllocateArray<long>(capacity, pinned: true);
        }

        /// <summary>Tokens (rows × sequence length) the arrays hold.</summary>
        public int Capacity { get; }

        public void Fill(IReadOnlyList<int[]> ids, Batch batch)
        {
            int seqLen = batch.SequenceLength;
            for (int r = 0; r < batch.Rows; r++)
            {
                var seq = ids[batch.Indices[r]];
                var rowIds = _inputIds.AsSpan(r * seqLen, seqLen);
                var rowMask = _attentionMask.AsSpan(r * seqLen, seqLen);
                for (int t = 0; t < seq.Length; t++)
                    rowIds[t] = seq[t];
                rowIds[seq.Length..].Clear(); // [PAD] is id 0
                rowMask[..seq.Length].Fill(1);
                rowMask[seq.Length..].Clear();
            }
        }

        public DisposableOrtValues Values(Batch batch)
        {
            long[] shape = [batch.Rows, batch.SequenceLength];
            int n = batch.Rows * batch.SequenceLength;
            return new DisposableOrtValues(
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _inputIds.AsMemory(0, n), shape),
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _attentionMask.AsMemory(0, n), shape),
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _tokenTypeIds.AsMemory(0, n), shape));
        }
    }

    /// <summary>A pinned array for <c>last_hidden_state</c> of batches of up to <paramref name="tokens"/> tokens.</summary>
    internal static float[] AllocateHidden(int tokens) => GC.AllocateUninitializedArray<float>(tokens * HiddenSize, pinned: true);

    /// <summary>The output tensor of a batch as a view over <paramref name="hidden"/>, which ONNX Runtime writes in place.</summary>
    internal static OrtValue HiddenValue(float[] hidden, Batch batch) => OrtValue.CreateTensorValueFromMemory(
        OrtMemoryInfo.DefaultInstance,
        hidden.AsMemory(0, batch.Rows * batch.SequenceLength * HiddenSize),
        [batch.Rows, batch.SequenceLength, HiddenSize]);

    /// <summary>
    /// Mean of the hidden states over each text's real tokens (padding excluded), then divided by its L2 norm.
    /// The division by the token count is left out: the L2 normalisation cancels it.
    /// </summary>
    internal static void Pool(float[] hidden, IReadOnlyList<int[]> ids, Batch batch, float[][] result)
    {
        int seqLen = batch.SequenceLength;
        for (int r = 0; r < batch.Rows; r++)
        {
            int index = batch.Indices[r];
            int tokens = ids[index].Length;
            var vector = new float[HiddenSize];
            var row = hidden.AsSpan(r * seqLen * HiddenSize, tokens * HiddenSize);
            for (int t = 0; t < tokens; t++)
                TensorPrimitives.Add(vector, row.Slice(t * HiddenSize, HiddenSize), vector);
            float norm = TensorPrimitives.Norm<float>(vector);
            if (norm > 0)
                TensorPrimitives.Divide(vector, norm, vector);
            result[index] = vector;
        }
    }

    /// <summary>A batch's input tensors, released together.</summary>
    internal sealed class DisposableOrtValues(params OrtValue[] values) : List<OrtValue>(values), IDisposable
    {
        public void Dispose()
        {
            foreach (var value in this)
                value.Dispose();
        }
    }
}
