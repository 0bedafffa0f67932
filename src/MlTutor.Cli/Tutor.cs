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
    private readonly Lazy<MiniLmTokenizer> _tokenizer;
    private readonly Lazy<MiniLmEncoder> _encoder;
    private NotesIndex? _index;

    public Tutor(TutorSettings settings, string home)
    {
        Settings = settings;
        CorpusDirectory = Path.GetFullPath(settings.Corpus.Directory, home);
        ModelDirectory = Path.GetFullPath(settings.Model.Directory, home);
        IndexDirectory = string.IsNullOrWhiteSpace(settings.Index.Directory)
            ? DefaultIndexDirectory(CorpusDirectory)
            : Path.GetFullPath(settings.Index.Directory, home);
        Variant = ParseVariant(settings.Model.Variant);
        _tokenizer = new(() => MiniLmTokenizer.FromModelDirectory(ModelDirectory));
        _encoder = new(() => MiniLmEncoder.FromModelDirectory(ModelDirectory, Variant, settings.Model.Threads));
    }

    public TutorSettings Settings { get; }
    public string CorpusDirectory { get; }
    public string IndexDirectory { get; }
    public string ModelDirectory { get; }
    public ModelVariant Variant { get; }

    public MiniLmTokenizer Tokenizer => _tokenizer.Value;
    public MiniLmEncoder Encoder => _encoder.Value;

    public CorpusReader Reader => new(Settings.Corpus.MaxFileBytes);

    public Chunker Chunker => new(Tokenizer.CountPieces, ChunkingOptions);

    public ChunkerOptions ChunkingOptions { get; } = new();

    /// <summary>The settings a generation is built with; a generation built otherwise is not reused.</summary>
    public IndexManifest IndexSettings => new(IndexManifest.CurrentSchema, "all-MiniLM-L6-v2", Variant.ToString().ToLowerInvariant(),
        MiniLmEncoder.Dimensions, ChunkingOptions.ToString(), CorpusDirectory, 0, 0, default);

    /// <summary>Builds or updates the index of the notes; quick when nothing changed.</summary>
    public IndexBuildReport UpdateIndex(bool rebuild = false, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(CorpusDirectory))
            throw new CorpusNotFoundException(CorpusDirectory);
        var builder = new IndexBuilder(new IndexFolder(IndexDirectory), () => Encoder, IndexSettings);
        var report = builder.BuildFromCorpus(CorpusDirectory, Reader, Chunker, rebuild, progress, cancellationToken);
        if (!report.UpToDate) { _index?.Dispose(); _index = null; }
        return report;
    }

    public NotesIndex Index => _index ??= NotesIndex.Open(new IndexFolder(IndexDirectory));

    public IRetriever CreateRetriever(string kind)
    {
        var dense = new DenseRetriever(Index, Encoder);
        var keyword = new KeywordRetriever(Index.Keywords, Index.FindById);
        return kind.ToLowerInvariant() switch
        {
            "dense" => dense,
            "keyword" => keyword,
            "hybrid" => new HybridRetriever(dense, keyword, new HybridOptions()),
            _ => throw new UserException($"unknown retriever '{kind}': use dense, keyword or hybrid"),
        };
    }

    /// <summary>Retrieves passages for a question and decides whether the notes cover it.</summary>
    public RetrievedContext Retrieve(string question, int k, string retrieverKind)
    {
        var passages = CreateRetriever(retrieverKind).Search(question, k);
        var notCovered = passages.Count == 0 || new DenseRetriever(Index, Encoder).Search(question, 1) is var top
            && (top.Count == 0 || top[0].Score < 0.30f);
        return new RetrievedContext(question, passages, notCovered);
    }

    public IAnswerer CreateAnswerer(string? provider = null)
    {
        var answering = Settings.Answering;
        switch ((provider ?? answering.Provider).ToLowerInvariant())
        {
            case "offline":
                return new ExtractiveAnswerer(sentences => Encoder.Embed(sentences));
            case "openai":
                var key = Environment.GetEnvironmentVariable(answering.ApiKeyVariable);
                if (!Uri.TryCreate(answering.Endpoint, UriKind.Absolute, out var endpoint))
                    throw new UserException($"Answering:Endpoint '{answering.Endpoint}' is not an absolute URL (e.g. http://127.0.0.1:11434/v1)");
                return new ChatCompletionAnswerer(new ChatEndpointOptions(endpoint, answering.Model, string.IsNullOrEmpty(key) ? null : key,
                    TimeSpan.FromSeconds(answering.TimeoutSeconds), answering.Temperature, answering.MaxTokens));
            default:
                throw new UserException($"unknown answering provider '{provider ?? answering.Provider}': use offline or openai");
        }
    }

    public void Dispose()
    {
        _index?.Dispose();
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
