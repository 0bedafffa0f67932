namespace MlTutor.Cli;

/// <summary>
/// appsettings.json, bound. Every value can be overridden by an environment variable MLTUTOR__SECTION__KEY
/// (e.g. MLTUTOR__Model__Variant=int8) and some by command-line options (--corpus, --index, --model).
/// </summary>
public sealed class TutorSettings
{
    public CorpusSettings Corpus { get; set; } = new();
    public IndexSettings Index { get; set; } = new();
    public ModelSettings Model { get; set; } = new();
    public RetrievalSettings Retrieval { get; set; } = new();
    public AnsweringSettings Answering { get; set; } = new();

    public sealed class CorpusSettings
    {
        public string Directory { get; set; } = "corpus";
        public long MaxFileBytes { get; set; } = 20_000_000;
    }

    public sealed class IndexSettings
    {
        /// <summary>Empty: a folder per corpus under the user's data directory.</summary>
        public string Directory { get; set; } = "";
    }

    public sealed class ModelSettings
    {
        public string Directory { get; set; } = "models/all-MiniLM-L6-v2";
        /// <summary>fp32 (the reference) or int8 (about twice as fast).</summary>
        public string Variant { get; set; } = "fp32";
        /// <summary>0: one per core.</summary>
        public int Threads { get; set; }
    }

    public sealed class RetrievalSettings
    {
        /// <summary>dense, keyword or hybrid.</summary>
        public string Retriever { get; set; } = "hybrid";
        public int K { get; set; } = 5;
    }

    public sealed class AnsweringSettings
    {
        /// <summary>offline (built in, no network) or openai (any OpenAI-compatible endpoint).</summary>
        public string Provider { get; set; } = "offline";
        public string Endpoint { get; set; } = "http://127.0.0.1:11434/v1";
        public string Model { get; set; } = "llama3.1";
        /// <summary>The environment variable that holds the API key; the key itself is never stored in configuration.</summary>
        public string ApiKeyVariable { get; set; } = "MLTUTOR_LLM_API_KEY";
        public int TimeoutSeconds { get; set; } = 120;
        public double Temperature { get; set; } = 0.2;
        public int MaxTokens { get; set; } = 600;
    }
}
