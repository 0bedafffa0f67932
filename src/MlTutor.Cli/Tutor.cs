using System.Security.Cryptography;
using System.Text;
using MlTutor.Answering;
using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Cli;

/// <summary>
/// The composition root: turns settings into the pipeline's parts (reader, chunker, encoder, index, retriever, answerer)
/// and creates each expensive part once, when first needed.
/// </summary>
public sealed class Tutor : IDisposable
{
    private readonly Lazy<MiniLmEncoder> _encoder;
    private readonly Lazy<MiniLmEncoder> _queryEncoder;
    private NotesIndex? _index;
    private bool _questionsShareAnswerEncoder;

    public Tutor(TutorSettings settings, string home)
    {
        Settings = settings;
        CorpusDirectory = Path.GetFullPath(settings.Corpus.Directory, home);
        ModelDirectory = Path.GetFullPath(settings.Model.Directory, home);
        IndexDirectory = string.IsNullOrWhiteSpace(settings.Index.Directory)
            ? DefaultIndexDirectory(CorpusDirectory)
            : Path.GetFullPath(settings.Index.Directory, home);
        Variant = ParseVariant(settings.Model.Variant);
        _encoder = new(() => MiniLmEncoder.FromModelDirectory(ModelDirectory, Variant, settings.Model.Threads));
        _queryEncoder = new(() => settings.Model.QueryThreads == settings.Model.Threads
            ? Encoder
            : MiniLmEncoder.FromModelDirectory(ModelDirectory, Variant, settings.Model.QueryThreads));
    }

    public TutorSettings Settings { get; }
    public string CorpusDirectory { get; }
    public string IndexDirectory { get; }
    public string ModelDirectory { get; }
    public ModelVariant Variant { get; }

    /// <summary>The encoder's own tokenizer: the chunker budgets with exactly what the model is fed. Loading it does not start ONNX Runtime.</summary>
    public MiniLmTokenizer Tokenizer => Encoder.Tokenizer;
    public MiniLmEncoder Encoder => _encoder.Value;

    /// <summary>The encoder that embeds questions (Model:QueryThreads): one short text gains nothing from splitting it across
    /// threads, and on a busy machine waiting for a second thread costs more than the work itself.</summary>
    public MiniLmEncoder QueryEncoder => _queryEncoder.Value;

    /// <summary>How many ONNX Runtime sessions of the model this tutor holds (each about 100 MB).</summary>
    public int EncoderSessions =>
        (_encoder.IsValueCreated ? 1 : 0) + (_queryEncoder.IsValueCreated && !ReferenceEquals(_queryEncoder.Value, _encoder.Value) ? 1 : 0);

    public CorpusReader Reader => new(Settings.Corpus.MaxFileBytes);

    public Chunker Chunker => new(Tokenizer.CountPieces, ChunkingOptions);

    public ChunkerOptions ChunkingOptions { get; } = new();

    /// <summary>The settings a generation is built with; a generation built otherwise is not reused.</summary>
    public IndexManifest IndexSettings => new(IndexManifest.CurrentSchema, "all-MiniLM-L6-v2", Variant.ToString().ToLowerInvariant(),
        MiniLmEncoder.HiddenSize, $"v{Chunker.Version} {ChunkingOptions}", CorpusDirectory, 0, 0, default);

    /// <summary>Builds or updates the index of the notes; quick when nothing changed.</summary>
    /// <param name="verifyContents">Check every file of the index against its checksums (see <see cref="IndexBuilder.BuildFromCorpus"/>).</param>
    public IndexBuildReport UpdateIndex(bool rebuild = false, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default,
        bool verifyContents = false)
    {
        if (!Directory.Exists(CorpusDirectory))
            throw new CorpusNotFoundException(CorpusDirectory);
        var builder = new IndexBuilder(NotesIndexFolderAt(IndexDirectory), () => Encoder, IndexSettings);
        var report = builder.BuildFromCorpus(CorpusDirectory, Reader, Chunker, rebuild, progress, cancellationToken, verifyContents);
        if (!report.UpToDate) { _index?.Dispose(); _index = null; }
        return report;
    }

    /// <summary>How the notes' index compares with the notes, changing neither.</summary>
    public IndexStatus ReadIndexStatus()
    {
        if (!Directory.Exists(CorpusDirectory))
            throw new CorpusNotFoundException(CorpusDirectory);
        return IndexStatus.Read(NotesIndexFolderAt(IndexDirectory), IndexSettings, CorpusDirectory, Reader);
    }

    public NotesIndex Index => _index ??= OpenOrRepairIndex();

    /// <summary>Opens the notes' index; one whose files were damaged since it was checked is repaired first, from its
    /// stored vectors, when the folder can be written.</summary>
    private NotesIndex OpenOrRepairIndex()
    {
        try
        {
            return OpenIndex(IndexDirectory);
        }
        catch (IndexDamagedException e)
        {
            var report = TryRepair();
            if (report is null) throw;
            Console.Error.WriteLine($"warning: the index in {e.Directory} was damaged ({e.Damage}): repaired from its stored vectors ({report.Embedded} embedded)");
            return OpenIndex(IndexDirectory);
        }
    }

    private IndexBuildReport? TryRepair()
    {
        try
        {
            return UpdateIndex(verifyContents: true);
        }
        catch (Exception e) when (e is IndexReadOnlyException or IndexBusyException or EmptyCorpusException or IndexWriteException)
        {
            return null;
        }
    }

    /// <summary>A retriever over <paramref name="index"/> (default: the notes' index).</summary>
    public IRetriever CreateRetriever(string kind, NotesIndex? index = null)
    {
        index ??= Index;
        return kind.ToLowerInvariant() switch
        {
            "dense" => Dense(index),
            "keyword" => KeywordRetriever(index),
            "hybrid" => Hybrid(index),
            _ => throw new UserException($"unknown retriever '{kind}': use dense, keyword or hybrid"),
        };
    }

    /// <summary>
    /// Retrieves passages for a question with the chosen retriever and decides whether the notes cover it. The decision
    /// always reads both rankings (dense and keyword), whichever retriever supplies the passages.
    /// </summary>
    public RetrievedContext Retrieve(string question, int k, string retrieverKind)
    {
        var kind = retrieverKind.ToLowerInvariant();
        if (kind is not ("dense" or "keyword" or "hybrid"))
            throw new UserException($"unknown retriever '{retrieverKind}': use dense, keyword or hybrid");
        // The commands cut a question where it enters, with a warning; this holds for every other caller (eval's questions).
        question = QuestionInput.Cut(QuestionInput.WellFormed(question), Settings.Retrieval.MaxQuestionChars);
        if (Index.Chunks.Count == 0) return new RetrievedContext(question, [], true);
        var keyword = KeywordRetriever(Index);
        var search = Hybrid(Index, keyword).SearchDetailed(question, k);
        // Each retriever shows passages the same way: the hybrid one joins neighbours as it fuses, the others here.
        var passages = kind switch
        {
            "dense" => Joiner.Join(search.Dense).Take(k).ToList(),
            "keyword" => Joiner.Join(search.Keyword).Take(k).ToList(),
            _ => search.Fused,
        };
        var signals = CoverageSignals.From(search, keyword.ScoreUpperBound(question), Index.Keywords.UnknownNames(question));
        var notCovered = passages.Count == 0 || CoverageGate.NotCovered(signals);
        return new RetrievedContext(question, passages, notCovered, signals);
    }

    private PassageJoiner Joiner => new(Settings.Retrieval.Join);

    private KeywordRetriever KeywordRetriever(NotesIndex index)
    {
        return new KeywordRetriever(index.Keywords, index.FindById);
    }

    /// <summary>Opens an index folder with the configured keyword settings (BM25 parameters and field weights apply at search time).</summary>
    public NotesIndex OpenIndex(string directory)
    {
        return NotesIndex.Open(NotesIndexFolderAt(directory), Settings.Retrieval.Keyword);
    }

    /// <summary>The index folder at <paramref name="directory"/>; a file there or above it is a mistake in --index, not a
    /// reason to fail later (a folder under a file can never be created, and the system would only say it cannot be written).</summary>
    public static IndexFolder IndexFolderAt(string directory)
    {
        if (File.Exists(directory))
            throw new UserException($"--index {directory} is a file, not a folder: give a folder (new or holding an index)");
        for (var above = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(above); above = Path.GetDirectoryName(above))
            if (File.Exists(above))
                throw new UserException($"--index {directory}: {above} is a file, not a folder: give a folder that is not inside a file");
        return new IndexFolder(directory);
    }

    /// <summary><see cref="IndexFolderAt"/>, and the notes' own index must lie outside the notes, for building and for
    /// questions alike.</summary>
    private IndexFolder NotesIndexFolderAt(string directory)
    {
        var folder = IndexFolderAt(directory);
        if (folder.Directory == IndexDirectory) folder.RequireOutside(CorpusDirectory);
        return folder;
    }

    private DenseRetriever Dense(NotesIndex index) =>
        new(index, _questionsShareAnswerEncoder ? Encoder : QueryEncoder, Settings.Retrieval.Dense);

    private HybridRetriever Hybrid(NotesIndex index, KeywordRetriever? keyword = null)
    {
        var f = Settings.Retrieval.Fusion;
        // Settings are checked when bound (SettingsRules), so the names parse.
        var method = Enum.Parse<FusionMethod>(f.Method, ignoreCase: true);
        return new HybridRetriever(Dense(index), keyword ?? KeywordRetriever(index), new HybridOptions
        {
            Method = method, DenseDepth = f.DenseDepth, KeywordDepth = f.KeywordDepth, DenseWeight = f.DenseWeight,
            KeywordWeight = f.KeywordWeight, RrfK = f.RrfK,
            Join = Settings.Retrieval.Join,
            Diversify = f.Diversify ? new DiversifierOptions { MaxSimilarity = f.MaxSimilarity } : null,
        });
    }

    private CoverageGate CoverageGate
    {
        get
        {
            var c = Settings.Retrieval.Coverage;
            var thresholds = new Dictionary<CoverageFeature, float>();
            if (c.MinTopDense is { } d) thresholds[CoverageFeature.TopDense] = d;
            if (c.MinTopKeyword is { } kw) thresholds[CoverageFeature.TopKeywordNormalized] = kw;
            if (c.MinTopFused is { } fu) thresholds[CoverageFeature.TopFused] = fu;
            if (c.MinAgreement is { } a) thresholds[CoverageFeature.Agreement] = a;
            return new CoverageGate(new CoverageGateOptions { Thresholds = thresholds, Rule = Enum.Parse<CoverageRule>(c.Rule, ignoreCase: true), MinTopDenseWithUnknownName = c.MinTopDenseWithUnknownName });
        }
    }

    public IAnswerer CreateAnswerer(string? provider = null)
    {
        var answering = Settings.Answering;
        switch ((provider ?? answering.Provider).ToLowerInvariant())
        {
            case "offline":
                // The offline answerer runs the full encoder session for every answer. Questions go through it too:
                // a second session just for them costs about 100 MB and saves nothing in an answer's time.
                _questionsShareAnswerEncoder = true;
                return new ExtractiveAnswerer(sentences => Encoder.Embed(sentences));
            case "openai":
                if (!Uri.TryCreate(answering.Endpoint, UriKind.Absolute, out var endpoint))
                    throw new UserException($"Answering:Endpoint '{answering.Endpoint}' is not an absolute URL (e.g. http://127.0.0.1:11434/v1)");
                return new ChatCompletionAnswerer(new ChatEndpointOptions(endpoint, answering.Model,
                    ChatEndpointOptions.ApiKeyFromEnvironment(answering.ApiKeyVariable), TimeSpan.FromSeconds(answering.TimeoutSeconds),
                    answering.Temperature, answering.MaxTokens, answering.MaxRetries, answering.ApiKeyVariable));
            default:
                throw new UserException($"unknown answering provider '{provider ?? answering.Provider}': use offline or openai");
        }
    }

    public void Dispose()
    {
        _index?.Dispose();
        if (_queryEncoder.IsValueCreated && !ReferenceEquals(_queryEncoder.Value, _encoder.Value)) _queryEncoder.Value.Dispose();
        if (_encoder.IsValueCreated) _encoder.Value.Dispose();
    }

    public static ModelVariant ParseVariant(string text) => text.ToLowerInvariant() switch
    {
        "fp32" => ModelVariant.Fp32,
        "int8" => ModelVariant.Int8,
        _ => throw new UserException($"unknown model variant '{text}': use fp32 or int8"),
    };

    /// <summary>One index per corpus folder under the user's data directory, so that two corpora never share one.</summary>
    public static string DefaultIndexDirectory(string corpusDirectory)
    {
        var data = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(data)) data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(data)) data = Path.Combine(Path.GetTempPath(), "mltutor-data");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(corpusDirectory)))[..12];
        var name = Path.GetFileName(corpusDirectory.TrimEnd('/'));
        return Path.Combine(data, "mltutor", "indexes", $"{name}-{hash}");
    }
}

/// <summary>A mistake the user can fix (an unknown option value, a missing file): printed as one line, exit code 2.</summary>
public sealed class UserException(string message) : Exception(message);
