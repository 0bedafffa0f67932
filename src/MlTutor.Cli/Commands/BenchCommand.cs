using System.CommandLine;
using MlTutor.Embedding;
using MlTutor.Ingestion;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor bench</c>: the encoder's speed on the corpus as the index cuts it (whole pipeline against bare ONNX Runtime on
/// the same batches, padding, warm query latency, memory), and the latency of a whole retrieval (embed + both searches + fusion).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "End with one JSON object holding the figures" };
        var queries = CommonOptions.WholeNumber("--queries", "Warm retrieval queries to time", 200);
        var questionFile = new Option<string?>("--questions")
        {
            Description = "Time retrieval on these questions (JSONL with \"question\", e.g. the dev set) instead of the notes' first words",
            HelpName = "FILE",
        };
        var cold = CommonOptions.WholeNumber("--cold", "Questions asked and searched by a new mltutor process each, timed from start to exit (0: none)", 5, (0, 100));
        var fullIndex = CommonOptions.WholeNumber("--full-index",
            "Indexes of all the notes built from nothing by a new mltutor process each, in a new folder, timed from start to exit (0: none)", 0, (0, 20));
        var command = new Command("bench", "Measure encoder throughput and query latency on the notes") { json, queries, questionFile, cold, fullIndex };
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: true);
            var tutor = host.Tutor();
            // Read before the long encoder measurement, so that a bad file fails at once.
            var givenQuestions = parse.GetValue(questionFile) is { } file
                ? BatchFile.ReadQuestions(file, tutor.Settings.Retrieval.MaxQuestionChars).Select(q => q.Question).ToList()
                : null;
            var warnings = new List<IngestionWarning>();
            var texts = tutor.ReadEmbeddedTexts(warnings);
            if (texts.Count == 0) throw new UserException($"{tutor.CorpusDirectory} has no notes to measure with");
            Console.Error.WriteLine($"bench: {texts.Count} chunks, model {TutorNames.Name(tutor.Variant)}, {Environment.ProcessorCount} cores");
            var encoder = tutor.BenchmarkEncoder(texts, ct);

            // Whole retrieval, warm: by default short questions made of the notes' words; --questions times real ones
            // (longer, and often of several parts, each embedded).
            Output.UpdateBeforeQuestions(tutor, ct);
            var retrieval = tutor.BenchmarkRetrieval(givenQuestions ?? ShortQuestions(texts, parse.GetValue(queries)), ct);
            var peak = EncoderBenchmark.PeakRssMb();

            // Last, with this process idle: a new process per question, as a user runs one ("--": a question may start with
            // a dash).
            var coldQuestions = (givenQuestions ?? ShortQuestions(texts, parse.GetValue(cold))).Take(parse.GetValue(cold)).ToList();
            var model = TutorNames.Name(tutor.Variant);
            var coldAsk = coldQuestions.Count == 0 ? null
                : ColdRuns.Run(coldQuestions.Select(q => new[] { "ask", "--json", "--", q }).ToList(), tutor.CorpusDirectory, tutor.IndexDirectory, model, ct);
            var coldSearch = coldQuestions.Count == 0 ? null
                : ColdRuns.Run(coldQuestions.Select(q => new[] { "search", "--json", "--", q }).ToList(), tutor.CorpusDirectory, tutor.IndexDirectory, model, ct);
            // `index` with the notes unchanged: what checking the index (every byte of it) costs a new process.
            var coldIndex = coldQuestions.Count == 0 ? null
                : ColdRuns.Run(coldQuestions.Select(_ => new[] { "index", "--json" }).ToList(), tutor.CorpusDirectory, tutor.IndexDirectory, model, ct);
            var fullIndexRuns = parse.GetValue(fullIndex);
            var coldFullIndex = fullIndexRuns == 0 ? null : FullIndexRuns(fullIndexRuns, tutor.CorpusDirectory, tutor.IndexDirectory, model, ct);

            var table = new Table().AddColumns("figure", "value");
            table.AddRow("model", encoder.Model);
            table.AddRow("chunks / pieces", $"{encoder.Chunks} / {encoder.Pieces}");
            table.AddRow("pipeline pieces/s", $"{encoder.PipelinePiecesPerSecond:0}");
            table.AddRow("bare ONNX Runtime pieces/s", $"{encoder.BarePiecesPerSecond:0}");
            table.AddRow("pipeline / bare", $"{encoder.PipelinePiecesPerSecond / encoder.BarePiecesPerSecond:P1}");
            table.AddRow("padding", $"{encoder.PaddingFraction:P1}");
            var packed = encoder.QueryWeightsPacked;
            table.AddRow($"query embed p50 / p99 ({encoder.QueryThreads} thread{(encoder.QueryThreads == 1 ? "" : "s")}{(packed ? ", packed weights" : "")})",
                $"{encoder.QueryP50Ms:0.00} / {encoder.QueryP99Ms:0.00} ms");
            table.AddRow("hybrid retrieval p50 / p99", $"{retrieval.P50Ms:0.00} / {retrieval.P99Ms:0.00} ms");
            table.AddRow("peak RSS", $"{peak:0} MB");
            if (coldAsk is not null && coldSearch is not null)
            {
                table.AddRow($"cold ask median / max ({coldAsk.Seconds.Count} processes)", $"{coldAsk.Median:0.00} / {coldAsk.Seconds.Max():0.00} s");
                table.AddRow($"cold search median / max ({coldSearch.Seconds.Count} processes)", $"{coldSearch.Median:0.00} / {coldSearch.Seconds.Max():0.00} s");
                table.AddRow("cold ask peak RSS", $"{coldAsk.PeakRssMb:0} MB");
            }
            if (coldIndex is not null)
                table.AddRow($"cold index, notes unchanged, median / max ({coldIndex.Seconds.Count} processes)", $"{coldIndex.Median:0.00} / {coldIndex.Seconds.Max():0.00} s");
            if (coldFullIndex is not null)
            {
                table.AddRow($"cold index from nothing, median / max ({coldFullIndex.Seconds.Count} processes)", $"{coldFullIndex.Median:0.00} / {coldFullIndex.Seconds.Max():0.00} s");
                table.AddRow("cold index from nothing, peak RSS", $"{coldFullIndex.PeakRssMb:0} MB");
            }
            var json_ = parse.GetValue(json);
            (json_ ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console).Write(table);
            if (json_)
                Output.WriteJson(new
                {
                    model = encoder.Model, chunks = encoder.Chunks, pieces = encoder.Pieces,
                    pipelinePiecesPerSecond = Math.Round(encoder.PipelinePiecesPerSecond, 1), barePiecesPerSecond = Math.Round(encoder.BarePiecesPerSecond, 1),
                    paddingFraction = Math.Round(encoder.PaddingFraction, 4), queryP50Ms = Math.Round(encoder.QueryP50Ms, 3), queryP99Ms = Math.Round(encoder.QueryP99Ms, 3),
                    queryThreads = encoder.QueryThreads, queryWeightsPacked = packed,
                    retrievalP50Ms = Math.Round(retrieval.P50Ms, 3), retrievalP99Ms = Math.Round(retrieval.P99Ms, 3), peakRssMb = Math.Round(peak, 1),
                    coldRuns = coldQuestions.Count,
                    coldAskMedianSeconds = coldAsk is null ? (double?)null : Math.Round(coldAsk.Median, 3),
                    coldAskMaxSeconds = coldAsk is null ? (double?)null : Math.Round(coldAsk.Seconds.Max(), 3),
                    coldAskPeakRssMb = coldAsk is null ? (double?)null : Math.Round(coldAsk.PeakRssMb, 1),
                    coldSearchMedianSeconds = coldSearch is null ? (double?)null : Math.Round(coldSearch.Median, 3),
                    coldSearchMaxSeconds = coldSearch is null ? (double?)null : Math.Round(coldSearch.Seconds.Max(), 3),
                    coldIndexUnchangedMedianSeconds = coldIndex is null ? (double?)null : Math.Round(coldIndex.Median, 3),
                    coldIndexUnchangedMaxSeconds = coldIndex is null ? (double?)null : Math.Round(coldIndex.Seconds.Max(), 3),
                    coldFullIndexRuns = fullIndexRuns,
                    coldFullIndexMedianSeconds = coldFullIndex is null ? (double?)null : Math.Round(coldFullIndex.Median, 3),
                    coldFullIndexMaxSeconds = coldFullIndex is null ? (double?)null : Math.Round(coldFullIndex.Seconds.Max(), 3),
                    coldFullIndexPeakRssMb = coldFullIndex is null ? (double?)null : Math.Round(coldFullIndex.PeakRssMb, 1),
                });
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// The whole notes indexed <paramref name="runs"/> times by a new process each, every time into a new empty folder (as
    /// a first run indexes them) beside the index in use, on the same disk, and removed as soon as the run is over:
    /// nothing of the index in use is read or touched.
    /// </summary>
    private static ColdRuns.Figures FullIndexRuns(int runs, string corpus, string indexInUse, string model, CancellationToken ct)
    {
        ColdRuns.Figures? figures = null;
        for (var run = 0; run < runs; run++)
        {
            var folder = $"{Path.TrimEndingDirectorySeparator(indexInUse)}.bench-{Guid.NewGuid():N}";
            try
            {
                var one = ColdRuns.Run([["index", "--json"]], corpus, folder, model, ct);
                figures = figures is null ? one : figures.With(one);
            }
            finally
            {
                RemoveScratch(folder);
            }
        }
        return figures!;
    }

    private static void RemoveScratch(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserException($"could not remove the index built for the benchmark, {folder}: {e.Message}; remove that folder by hand");
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> questions of ten words each on one line, taken from the starts of texts spread over
    /// the notes, as a student's short question would be. Words are split at any whitespace: split at spaces alone, a
    /// chunk's first "ten words" can run over several lines and a hundred word pieces.
    /// </summary>
    public static List<string> ShortQuestions(IReadOnlyList<string> texts, int count) =>
        texts.Where((_, i) => i % Math.Max(1, texts.Count / Math.Max(1, count)) == 0)
            .Select(t => string.Join(' ', t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(10)))
            .Take(count).ToList();
}
