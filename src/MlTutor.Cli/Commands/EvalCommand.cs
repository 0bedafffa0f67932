using System.CommandLine;
using MlTutor.Indexing;
using MlTutor.Retrieval;
using MlTutor.Retrieval.Evaluation;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor eval</c>: retrieval quality with numbers. <c>--questions FILE</c> scores every retriever on a question set
/// over the notes (the hit rule of eval/score_run.py); <c>--beir DIR</c> scores them on a public BEIR dataset.
/// </summary>
public static class EvalCommand
{
    private static readonly string[] AllRetrievers = ["dense", "keyword", "hybrid"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "End with one JSON object holding all the figures" };
        var questions = new Option<string?>("--questions") { Description = "Question set (JSONL: id, question, answerable, evidence)", HelpName = "FILE" };
        var beir = new Option<string?>("--beir") { Description = "A BEIR dataset folder (corpus.jsonl, queries*.jsonl, qrels/test.tsv)", HelpName = "DIR" };
        var retriever = new Option<string>("--retriever") { Description = "dense, keyword, hybrid or all", DefaultValueFactory = _ => "all" };
        var trec = new Option<string?>("--trec-run") { Description = "With --beir: also write the rankings in TREC run format", HelpName = "FILE" };
        var k = CommonOptions.WholeNumber("--k", "Passages per question that are looked at (MRR@10 and nDCG@10 use 10)", 10, CommonOptions.KRange);
        var command = new Command("eval", "Measure retrieval on a question set or a BEIR benchmark") { json, questions, beir, retriever, trec, k };
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var kinds = parse.GetValue(retriever)!.ToLowerInvariant() == "all" ? AllRetrievers : [parse.GetValue(retriever)!.ToLowerInvariant()];
            foreach (var kind in kinds)
                if (!AllRetrievers.Contains(kind)) throw new UserException($"unknown retriever '{kind}': use dense, keyword, hybrid or all");
            if (parse.GetValue(beir) is { } beirDir) return Task.FromResult(RunBeir(tutor, beirDir, kinds, parse.GetValue(trec), parse.GetValue(json), ct));
            if (parse.GetValue(questions) is { } file) return Task.FromResult(RunQuestions(tutor, file, kinds, parse.GetValue(json), ct));
            throw new UserException("give --questions FILE or --beir DIR");
        });
        return command;
    }

    private static int RunQuestions(Tutor tutor, string file, string[] kinds, bool json, CancellationToken ct)
    {
        InputFile.Require(file);
        var questions = LoadQuestions(file, tutor.CorpusDirectory, out var locator);
        Output.UpdateIndexWithProgress(tutor, rebuild: false, ct, beforeQuery: true);
        var reports = kinds.Select(kind => RetrievalEvaluator.Evaluate(kind, q => tutor.Retrieve(q, RetrievalEvaluator.Depth, kind), questions, locator)).ToList();
        var calibrations = Calibrations(reports[0]);
        if (json)
            Output.WriteJson(new
            {
                questions = file, corpus = tutor.CorpusDirectory, answerable = reports[0].Answerable, unanswerable = reports[0].Unanswerable,
                retrievers = reports.ToDictionary(r => r.Name, r => new Dictionary<string, object>
                {
                    ["recall@1"] = Math.Round(r.RecallAt1, 4), ["recall@5"] = Math.Round(r.RecallAt5, 4),
                    ["mrr@10"] = Math.Round(r.MrrAt10, 4), ["ndcg@10"] = Math.Round(r.NdcgAt10, 4),
                    ["answerableAnswered"] = Math.Round(r.AnswerableAnswered, 4), ["unanswerableNotCovered"] = Math.Round(r.UnanswerableAbstained, 4),
                    ["misses"] = r.Misses,
                }),
                coverageCalibration = calibrations.ToDictionary(c => c.Key, c => new
                {
                    threshold = Math.Round(c.Value.Threshold, 4), answerableAnswered = Math.Round(c.Value.AnsweredShare, 4),
                    unanswerableNotCovered = Math.Round(c.Value.AbstainedShare, 4),
                }),
            });
        else
        {
            var table = new Table().AddColumns("retriever", "Recall@1", "Recall@5", "MRR@10", "nDCG@10", "answerable answered", "unanswerable marked", "misses");
            foreach (var r in reports)
                table.AddRow(r.Name, $"{r.RecallAt1:0.000}", $"{r.RecallAt5:0.000}", $"{r.MrrAt10:0.000}", $"{r.NdcgAt10:0.000}",
                    $"{r.AnswerableAnswered:0.000}", $"{r.UnanswerableAbstained:0.000}", r.Misses.Count.ToString());
            AnsiConsole.Write(table);
            foreach (var r in reports.Where(r => r.Misses.Count > 0))
                AnsiConsole.MarkupLine($"[grey]{r.Name} misses: {Markup.Escape(string.Join(", ", r.Misses))}[/]");
            if (calibrations.Count > 0)
            {
                var gate = new Table().AddColumns("not-covered signal", "threshold for 95% answered", "answerable answered", "unanswerable marked");
                foreach (var (name, c) in calibrations)
                    gate.AddRow(name, $"{c.Threshold:0.0000}", $"{c.AnsweredShare:0.000}", $"{c.AbstainedShare:0.000}");
                AnsiConsole.Write(gate);
            }
        }
        return 0;
    }

    /// <summary>
    /// Reads a question set and finds every evidence quote in the notes before anything is measured: a mistake in the file
    /// (a wrongly typed field, missing evidence, a quote or note that is not in the corpus) is a user error naming FILE:LINE.
    /// </summary>
    private static IReadOnlyList<EvalQuestion> LoadQuestions(string file, string corpus, out EvidenceLocator locator)
    {
        IReadOnlyList<EvalQuestion> questions;
        try
        {
            questions = EvalQuestion.Load(file);
        }
        catch (InvalidDataException e)
        {
            throw new UserException(e.Message + " (fix that line of the question file)");
        }
        locator = new EvidenceLocator(corpus);
        foreach (var question in questions.Where(q => q.Answerable))
        {
            try
            {
                locator.LocateAll(question);
            }
            catch (InvalidDataException e)
            {
                throw new UserException($"{file}:{question.Line}: {e.Message} (evidence must quote a note in {corpus} verbatim)");
            }
        }
        return questions;
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
        if (answerable.Count == 0)
            return [];
        return CoverageGate.CalibrateEach(answerable, unanswerable).ToDictionary(c => c.Key.ToString(), c => c.Value);
    }

    private static int RunBeir(Tutor tutor, string directory, string[] kinds, string? trecPath, bool json, CancellationToken ct)
    {
        var dataset = BeirDataset.Load(directory);
        var indexDir = tutor.Settings.Index.Directory is { Length: > 0 } explicitDir
            ? explicitDir
            : Path.Combine(Path.GetDirectoryName(Tutor.DefaultIndexDirectory(tutor.CorpusDirectory))!, "..", "beir", $"{dataset.Name}-{tutor.Variant.ToString().ToLowerInvariant()}");
        var folder = Tutor.IndexFolderAt(indexDir);
        var chunks = dataset.ToChunks(tutor.Tokenizer.CountPieces);
        var builder = new IndexBuilder(folder, () => tutor.Encoder, tutor.IndexSettings with { ChunkingSignature = "beir-passage" });
        Console.Error.WriteLine($"{dataset.Name}: {dataset.Documents.Count} documents, {dataset.Queries.Count} judged queries; index in {folder.Directory}");
        var build = builder.BuildFromChunks(chunks, $"beir:{dataset.Name}:{dataset.CorpusHash}",
            Output.ProgressLines(), ct);
        var piecesPerSecond = build.Embedded > 0 ? build.EmbeddedPieces / build.Elapsed.TotalSeconds : 0;

        using var index = tutor.OpenIndex(folder.Directory);
        using var trecWriter = trecPath is null ? null : new StreamWriter(trecPath);
        var scores = kinds.Select(kind => BeirEvaluator.Evaluate(kind, tutor.CreateRetriever(kind, index), dataset, trecWriter, null, ct)).ToList();
        var table = new Table().AddColumns("retriever", "nDCG@10", "Recall@10", "Recall@100", "queries/s");
        foreach (var s in scores) table.AddRow(s.Retriever, $"{s.NdcgAt10:0.0000}", $"{s.RecallAt10:0.0000}", $"{s.RecallAt100:0.0000}", $"{s.QueriesPerSecond:0}");
        // With --json the table goes to stderr, so that stdout ends with the JSON object alone.
        (json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console).Write(table);
        Console.Error.WriteLine(build.UpToDate
            ? "index reused: nothing embedded in this run"
            : $"indexed in {build.Elapsed.TotalSeconds:0.0} s, {piecesPerSecond:0} pieces/s ({build.EmbeddedPieces} pieces, model {tutor.Variant.ToString().ToLowerInvariant()})");
        if (json)
            Output.WriteJson(new Dictionary<string, object?>
            {
                ["dataset"] = dataset.Name, ["docs"] = dataset.Documents.Count, ["queries"] = dataset.Queries.Count,
                ["model"] = tutor.Variant.ToString().ToLowerInvariant(),
                ["retrievers"] = scores.ToDictionary(s => s.Retriever, s => new Dictionary<string, double>
                {
                    ["ndcg@10"] = Math.Round(s.NdcgAt10, 5), ["recall@10"] = Math.Round(s.RecallAt10, 5), ["recall@100"] = Math.Round(s.RecallAt100, 5),
                }),
                ["indexSeconds"] = Math.Round(build.Elapsed.TotalSeconds, 2), ["piecesPerSecond"] = Math.Round(piecesPerSecond, 1),
                ["indexReused"] = build.UpToDate,
            });
        return 0;
    }
}
