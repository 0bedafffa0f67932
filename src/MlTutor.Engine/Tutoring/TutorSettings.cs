using MlTutor.Indexing;
using MlTutor.Retrieval;

namespace MlTutor.Tutoring;

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
    public ReviewSettings Review { get; set; } = new();
    public GradingSettings Grading { get; set; } = new();

    public sealed class CorpusSettings
    {
        public string Directory { get; set; } = "corpus";
        public long MaxFileBytes { get; set; } = 20_000_000;

        /// <summary>How a running host (<c>watch</c>, chat) learns of edits: <c>notify</c>, the folder's change
        /// notifications (checked every <see cref="PollSeconds"/> where the folder cannot be watched); <c>poll</c>, checked
        /// every <see cref="PollSeconds"/> always, for a folder whose notifications never arrive (a network drive, a folder
        /// shared with a virtual machine).</summary>
        public string Watch { get; set; } = "notify";

        public double PollSeconds { get; set; } = 2;
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
        /// <summary>Threads for embedding a question at query time; a value other than Threads opens a second session (about
        /// 100 MB more). 1: a short question gains nothing from a second thread, and on a shared two-core machine a whole
        /// hybrid retrieval measured p50 11-13 ms with 1 against 16 ms with one per core (0), p99 21-26 against 39-47 ms.
        /// With the offline answerer (ask, chat) questions go through the answerer's session instead, since that one is
        /// loaded anyway.</summary>
        public int QueryThreads { get; set; } = 1;
        /// <summary>Whether the model's weights are packed for its matrix products when a session starts: a warm question
        /// embeds much faster, for tens of megabytes more per session (see <see cref="Embedding.MiniLmEncoder.PacksWeights"/>).
        /// Unset, the host decides: packed where questions or answers follow one another (chat, serve, interview and review,
        /// grade, eval, bench, batches), not in a command that embeds one question and exits.</summary>
        public bool? PackWeights { get; set; }
    }

    public sealed class RetrievalSettings
    {
        /// <summary>dense, keyword or hybrid.</summary>
        public string Retriever { get; set; } = "hybrid";

        /// <summary>Passages retrieved per question (--k), from 1 to <see cref="MaxK"/>.</summary>
        public int K { get; set; } = 5;

        /// <summary>The most passages a question may ask for: a page of results, and the depth of Recall@100. Each passage
        /// is scored, joined and (with ask) read for sentences: with 100,000 of them one answer took 43 s.</summary>
        public const int MaxK = 100;

        /// <summary>
        /// The characters of a question that are read; a longer one is cut, with a warning. The encoder reads 256 word
        /// pieces (about 1,000 characters) of a text anyway, the longest dev question has 173 characters, and a question
        /// of 1 MB took minutes and 700 MB of memory to search.
        /// </summary>
        public int MaxQuestionChars { get; set; } = 2000;

        public FusionSettings Fusion { get; set; } = new();
        /// <summary>How the dense retriever scores a chunk: its own cosine mixed with its best line window's (WindowWeight).</summary>
        public DenseOptions Dense { get; set; } = DenseOptions.Default;

        /// <summary>
        /// BM25 parameters and field weights of the keyword index. b is weak (0.3): chunks are cut to similar lengths, and
        /// on the dev questions any b in 0..0.4 ranks alike and better than Lucene's 0.75 on both halves.
        /// </summary>
        public KeywordIndexOptions Keyword { get; set; } = KeywordIndexOptions.Default with { B = 0.3f };
        public CoverageSettings Coverage { get; set; } = new();

        /// <summary>Neighbouring chunks that both rank near the top are shown as one passage (Depth 0: never).</summary>
        public PassageJoinerOptions Join { get; set; } = PassageJoinerOptions.Default;
    }

    /// <summary>How the hybrid retriever merges dense and keyword rankings (see HybridOptions).</summary>
    public sealed class FusionSettings
    {
        /// <summary>ReciprocalRank, ConvexMinMax or ConvexZScore.</summary>
        public string Method { get; set; } = "ConvexZScore";
        public int DenseDepth { get; set; } = 50;
        public int KeywordDepth { get; set; } = 50;
        public float DenseWeight { get; set; } = 0.6f;
        public float KeywordWeight { get; set; } = 0.5f;
        public int RrfK { get; set; } = 60;
        /// <summary>Drop near-duplicate passages (the same fact in two notes) from the top k, keeping the best first.</summary>
        public bool Diversify { get; set; } = true;
        public double MaxSimilarity { get; set; } = 0.6;
    }

    /// <summary>
    /// The not-covered decision: a question is marked not covered when a measured signal falls below its threshold
    /// (calibrated on the dev questions so that 95% of answerable ones stay answered). Null: that signal is not used.
    /// </summary>
    public sealed class CoverageSettings
    {
        /// <summary>On the dev questions 0.43 answers 98% of answerable questions and marks 88% of unanswerable ones.
        /// The 95% calibration gives 0.45 (95.1% / 92%), which leaves no margin on the answered side: three answerable
        /// questions score between 0.43 and 0.44.</summary>
        public float? MinTopDense { get; set; } = 0.43f;
        /// <summary>The top dense score a question needs when it uses a name (an acronym, a CamelCase or alphanumeric name)
        /// that the notes never mention. On the dev questions no answerable question uses an unknown name, while 14 of the
        /// 25 unanswerable ones do, all with top dense scores below 0.5; 0.55 leaves a margin.</summary>
        public float? MinTopDenseWithUnknownName { get; set; } = 0.55f;
        public float? MinTopKeyword { get; set; }
        public float? MinTopFused { get; set; }
        public float? MinAgreement { get; set; }
        /// <summary>AnyBelow or AllBelow.</summary>
        public string Rule { get; set; } = "AnyBelow";
    }

    public sealed class AnsweringSettings
    {
        /// <summary>offline (built in, no network), openai (any OpenAI-compatible endpoint) or local (a GGUF model run in
        /// this process).</summary>
        public string Provider { get; set; } = "offline";
        public string Endpoint { get; set; } = "http://127.0.0.1:11434/v1";
        public string Model { get; set; } = "llama3.1";
        /// <summary>The environment variable that holds the API key; the key itself is never stored in configuration.</summary>
        public string ApiKeyVariable { get; set; } = "MLTUTOR_LLM_API_KEY";
        /// <summary>Longest wait for the connection to the endpoint. A server on this machine or the local network
        /// connects in milliseconds; one that does not within seconds is not there.</summary>
        public double ConnectTimeoutSeconds { get; set; } = 5;
        /// <summary>Longest wait for the first token after the question is sent (retries and the reading of the prompt
        /// included), and for each next one. A small model on a CPU reads a tutor prompt in a few seconds.</summary>
        public double FirstTokenTimeoutSeconds { get; set; } = 30;
        /// <summary>Longest time for a whole answer; one that takes longer is cut there, with what was written kept.</summary>
        public int TimeoutSeconds { get; set; } = 120;
        public double Temperature { get; set; } = 0.2;
        public int MaxTokens { get; set; } = 600;
        /// <summary>The prompt's budget in tokens (estimated): the passages and the conversation so far. The oldest turns
        /// are left out first, then the lowest-ranked passages.</summary>
        public int MaxPromptTokens { get; set; } = 3000;
        /// <summary>Retries of a request that failed for a passing reason (a refused or dropped connection, 408, 429, 5xx).</summary>
        public int MaxRetries { get; set; } = 2;
        /// <summary>The first back-off before a retry; each next one waits about twice as long.</summary>
        public double RetryDelaySeconds { get; set; } = 0.5;
        public LocalModelSettings Local { get; set; } = new();
    }

    /// <summary>The model run in this process by <c>local</c>.</summary>
    public sealed class LocalModelSettings
    {
        /// <summary>A GGUF chat model; relative paths start from the tutor's home. The default is the small model the set-up
        /// copies from the model mirror: it proves the path, not the quality.</summary>
        public string ModelPath { get; set; } = "models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf";
        /// <summary>Tokens the model holds at once, the prompt and the answer together; more costs memory (the model keeps
        /// every token's keys and values). The default holds the answer's room and a prompt of the retrieved passages as the
        /// answerer usually writes it; a longer prompt loses its lowest-ranked passages first.</summary>
        public int ContextSize { get; set; } = 2048;
        /// <summary>0: one per core.</summary>
        public int Threads { get; set; }
        /// <summary>Above 1, what was written already is less likely again. Off by default: LLamaSharp applies it to the
        /// whole vocabulary at every token, which halved generation speed here, and the loop guard stops a looping answer
        /// anyway.</summary>
        public double RepeatPenalty { get; set; } = 1.0;
        public uint Seed { get; set; } = 42;
    }

    /// <summary>
    /// Spaced repetition of the notes' items with FSRS-6. The lists start empty because the configuration binder adds
    /// configured elements to whatever a list already holds: appsettings.json gives the weights.
    /// </summary>
    public sealed class ReviewSettings
    {
        /// <summary>The folder of the review file; empty: one folder per corpus under the user's data directory, beside the
        /// index folders but not in one, so that deleting or rebuilding an index never loses a review history.</summary>
        public string Directory { get; set; } = "";

        /// <summary>The probability of recall at which an item comes due again: higher asks more often.</summary>
        public double DesiredRetention { get; set; } = 0.9;

        public int MaximumIntervalDays { get; set; } = 36500;

        /// <summary>FSRS-6's 21 weights w0..w20; none: the published defaults.</summary>
        public double[] Weights { get; set; } = [];

        /// <summary>Minutes between the first asks of a new item before it is scheduled in days; none: days at once.</summary>
        public double[] LearningStepsMinutes { get; set; } = [];

        /// <summary>Minutes between asks of a forgotten item before it is scheduled in days again; none: days at once.</summary>
        public double[] RelearningStepsMinutes { get; set; } = [];

        /// <summary>A passing answer scoring at least this much, given within <see cref="EasyMaxSeconds"/>, is rated Easy.</summary>
        public double EasyMinScore { get; set; } = 0.9;

        public int EasyMaxSeconds { get; set; } = 60;
    }

    /// <summary>
    /// The offline grade of an interview answer (see <c>AnswerGrader</c>): the reference is found in the notes with the
    /// question, and each of its key points is judged covered, missed or contradicted. Calibrated on the grading dev set.
    /// </summary>
    public sealed class GradingSettings
    {
        /// <summary>Passages retrieved with the question; their key points are the candidates for the reference.</summary>
        public int Passages { get; set; } = 5;
        /// <summary>The most key points the reference holds: the ones a model answer from the notes quotes.</summary>
        public int MaxKeyPoints { get; set; } = 8;
        /// <summary>Roughly how many characters of the notes the reference holds.</summary>
        public int ReferenceChars { get; set; } = 1200;
        /// <summary>The cosine of a key point and an answer sentence at which the point counts as not expressed at all,
        /// and the one at which it counts as fully expressed; coverage is linear in between.</summary>
        public double NoSimilarity { get; set; } = 0.3;
        public double FullSimilarity { get; set; } = 0.7;
        /// <summary>Share of a key point's coverage that comes from its exact terms and symbols found in the answer.</summary>
        public double TermWeight { get; set; } = 0.3;
        /// <summary>Coverage from which a key point is listed as covered.</summary>
        public double CoveredAt { get; set; } = 0.5;
        /// <summary>How alike (cosine) two key points must be to be parallel claims ("High bias = underfitting", "High variance =
        /// overfitting"), whose own terms an answer may swap.</summary>
        public double SiblingSimilarity { get; set; } = 0.3;
        /// <summary>How alike (cosine) the two words an answer trades between parallel claims must be, as "encoder" and
        /// "decoder" are.</summary>
        public double SwapSimilarity { get; set; } = 0.6;
        /// <summary>How alike (cosine) an answer's sentence and a key point must be for a word of the opposite pole in the
        /// sentence ("a supervised method" against "unsupervised") to contradict the point.</summary>
        public double OppositionSimilarity { get; set; } = 0.5;
        /// <summary>What a contradicted key point counts, against the 0..1 of a covered one.</summary>
        public double ContradictionPenalty { get; set; } = 0.25;
        /// <summary>Scores from which the verdict is pass, and partial; below Partial it is fail. On the dev set the scores of
        /// strong answers and of wrong or off-topic ones overlap across questions, so the band between is narrow
        /// (tests/grading/measure.py prints where these put them).</summary>
        public double Pass { get; set; } = 0.42;
        public double Partial { get; set; } = 0.41;
    }
}
