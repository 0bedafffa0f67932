using System.Diagnostics;
using System.Text.Json;
using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using MlTutor.Retrieval.Evaluation;

namespace MlTutor.Tutoring;

/// <summary>Measurements: retrieval quality on a question set or a BEIR dataset, speed, and the encoder against its reference.</summary>
public sealed partial class Tutor
{
    /// <summary>Scores each retriever on a question set over the notes (the hit rule of eval/score_run.py).</summary>
    public QuestionSetEvaluation EvaluateQuestions(QuestionSet set, IReadOnlyList<RetrieverKind> kinds)
    {
        var reports = kinds.Select(kind => RetrievalEvaluator.Evaluate(TutorNames.Name(kind),
            q => Retrieve(q, new QuestionOptions { K = RetrievalEvaluator.Depth, Retriever = kind }), set.Questions, set.Evidence)).ToList();
        return new QuestionSetEvaluation(reports, Calibrations(reports[0]));
    }

    /// <summary>
    /// Reads a question set and finds every evidence quote in the notes before anything is measured: a mistake in the file
    /// (a wrongly typed field, missing evidence, a quote or note that is not in the notes) is an error naming FILE:LINE.
    /// </summary>
    public QuestionSet LoadQuestionSet(string file)
    {
        IReadOnlyList<EvalQuestion> questions;
        try
        {
            questions = EvalQuestion.Load(file);
        }
        catch (InvalidDataException e)
        {
            throw new TutorException(e.Message + " (fix that line of the question file)", Remedy.FixInput, e);
        }
        var locator = new EvidenceLocator(CorpusDirectory);
        foreach (var question in questions.Where(q => q.Answerable))
        {
            try
            {
                locator.LocateAll(question);
            }
            catch (InvalidDataException e)
            {
                throw new TutorException($"{file}:{question.Line}: {e.Message} (evidence must quote a note in {CorpusDirectory} verbatim)", Remedy.FixInput, e);
            }
        }
        return new QuestionSet(questions, locator);
    }

    /// <summary>
    /// The threshold each not-covered signal would need to keep 95% of the answerable questions answered, and the share
    /// of unanswerable ones it would then mark: the figures that Retrieval:Coverage is set from.
    /// </summary>
    private static Dictionary<string, CoverageCalibration> Calibrations(RetrievalReport report)
    {
        var measured = report.Questions.Where(q => q.Signals is not null).ToList();
        var answerable = measured.Where(q => q.Answerable).Select(q => q.Signals!).ToList();
        var unanswerable = measured.Where(q => !q.Answerable).Select(q => q.Signals!).ToList();
        if (answerable.Count == 0) return [];
        return CoverageGate.CalibrateEach(answerable, unanswerable).ToDictionary(c => c.Key.ToString(), c => c.Value);
    }

    /// <summary>Where a BEIR dataset's index lives: Index:Directory when set, else a folder per dataset and model variant
    /// beside the notes' indexes.</summary>
    public string BeirIndexDirectory(BeirDataset dataset) => Settings.Index.Directory is { Length: > 0 }
        ? IndexDirectory
        : Path.Combine(Path.GetDirectoryName(DefaultIndexDirectory(CorpusDirectory))!, "..", "beir", $"{dataset.Name}-{TutorNames.Name(Variant)}");

    /// <summary>
    /// Indexes a BEIR dataset (one passage per document; reused when built before with the same settings) and scores each
    /// retriever on its judged queries, writing the rankings in TREC run format to <paramref name="trecRun"/> when given.
    /// </summary>
    public BeirEvaluation EvaluateBeir(BeirDataset dataset, IReadOnlyList<RetrieverKind> kinds, TextWriter? trecRun = null,
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = IndexFolder.At(Path.GetFullPath(BeirIndexDirectory(dataset)));
        var chunks = dataset.ToChunks(Tokenizer.CountPieces);
        var builder = new IndexBuilder(folder, () => Encoder, IndexSettings with { ChunkingSignature = "beir-passage" });
        var build = builder.BuildFromChunks(chunks, $"beir:{dataset.Name}:{dataset.CorpusHash}", progress, cancellationToken);
        using var index = NotesIndex.Open(folder, Settings.Retrieval.Keyword);
        var scores = kinds.Select(kind => BeirEvaluator.Evaluate(TutorNames.Name(kind), _retrieval.Create(kind, index, QueryEncoder),
            dataset, trecRun, null, cancellationToken)).ToList();
        return new BeirEvaluation(folder.Directory, build, scores);
    }

    /// <summary>The texts the encoder is fed for the notes, as the index cuts them.</summary>
    public IReadOnlyList<string> ReadEmbeddedTexts(ICollection<IngestionWarning> warnings)
    {
        RequireCorpus();
        var chunker = Chunker;
        return Reader.ReadAll(CorpusDirectory, warnings).SelectMany(f => chunker.Chunk(f, warnings)).Select(c => c.EmbeddedText).ToList();
    }

    /// <summary>The encoder's speed on <paramref name="texts"/> (see <see cref="EncoderBenchmark"/>), with the query encoder's latency.</summary>
    public EncoderBenchmarkResult BenchmarkEncoder(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        EncoderBenchmark.Run(Encoder, texts, ct: cancellationToken, queryEncoder: QueryEncoder);

    /// <summary>The warm latency of a whole hybrid retrieval (embed, both searches, fusion, coverage) over <paramref name="questions"/>.</summary>
    public RetrievalLatency BenchmarkRetrieval(IReadOnlyList<string> questions, CancellationToken cancellationToken = default)
    {
        var options = new QuestionOptions { Retriever = RetrieverKind.Hybrid };
        // One untimed pass first: the JIT optimises a method only after some 30 calls and a profiling tier, so a
        // process's first hundred or so retrievals run slower code.
        foreach (var q in questions) Retrieve(q, options);
        var latencies = new List<double>();
        foreach (var q in questions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            Retrieve(q, options);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        return new RetrievalLatency(questions.Count, EncoderBenchmark.Percentile(latencies, 0.5), EncoderBenchmark.Percentile(latencies, 0.99));
    }

    /// <summary>The token ids and the embedding of each text.</summary>
    public IReadOnlyList<EmbeddedText> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        var vectors = Encoder.Embed(texts, null, cancellationToken);
        return texts.Select((text, i) => new EmbeddedText(Tokenizer.Encode(text), vectors[i])).ToList();
    }

    /// <summary>The smallest cosine of an embedding to its reference a model passes with.</summary>
    public const double MinReferenceCosine = 0.999;

    /// <summary>
    /// Embeds the reference sentences of <paramref name="referenceFile"/> ({"cases": [{"text", "ids", "embedding"}]}) and
    /// compares ids and vectors: a model whose bytes differ from the pinned one's must still give the same output.
    /// </summary>
    public IReadOnlyList<ReferenceCheck> CheckModel(string referenceFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(referenceFile));
        var checks = new List<ReferenceCheck>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var text = c.GetProperty("text").GetString()!;
            var ids = c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var reference = c.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            var cosine = VectorMath.Cosine(Encoder.Embed(text), reference);
            checks.Add(new ReferenceCheck(text, Tokenizer.Encode(text).SequenceEqual(ids), cosine, cosine >= MinReferenceCosine));
        }
        return checks;
    }
}

/// <summary>A question set with the place of each evidence quote in the notes.</summary>
public sealed record QuestionSet(IReadOnlyList<EvalQuestion> Questions, EvidenceLocator Evidence);

/// <summary>Each retriever's scores on a question set, and the not-covered calibration from the first one's signals.</summary>
public sealed record QuestionSetEvaluation(IReadOnlyList<RetrievalReport> Reports, IReadOnlyDictionary<string, CoverageCalibration> Calibrations);

/// <summary>A BEIR run: where its index is, what building it did, and each retriever's scores.</summary>
public sealed record BeirEvaluation(string IndexDirectory, IndexBuildReport Build, IReadOnlyList<BeirScores> Scores);

/// <summary>Warm retrieval latency over a number of questions, in milliseconds.</summary>
public sealed record RetrievalLatency(int Questions, double P50Ms, double P99Ms);

/// <summary>A text's token ids and embedding.</summary>
public sealed record EmbeddedText(int[] Ids, float[] Vector);

/// <summary>One reference sentence checked: whether its ids match, and its embedding's cosine to the reference.</summary>
public sealed record ReferenceCheck(string Text, bool IdsMatch, double Cosine, bool CosineMatches)
{
    public bool Passed => IdsMatch && CosineMatches;
}
