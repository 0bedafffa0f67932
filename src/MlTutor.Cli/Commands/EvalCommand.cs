using System.CommandLine;
using MlTutor.Retrieval.Evaluation;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor eval</c>: retrieval quality with numbers. <c>--questions FILE</c> scores every retriever on a question set
/// over the notes (the hit rule of eval/score_run.py); <c>--beir DIR</c> scores them on a public BEIR dataset.
/// </summary>
public static class EvalCommand
{
    private static readonly RetrieverKind[] AllRetrievers = Enum.GetValues<RetrieverKind>();

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
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: true);
            var tutor = host.Tutor();
            var named = parse.GetValue(retriever)!;
            RetrieverKind[] kinds = named.Trim().Equals("all", StringComparison.OrdinalIgnoreCase) ? AllRetrievers
                : TutorNames.TryRetriever(named, out var kind) ? [kind]
                : throw new UserException($"unknown retriever '{named}': use {TutorNames.Retrievers} or all");
            if (parse.GetValue(beir) is { } beirDir) return Task.FromResult(RunBeir(tutor, beirDir, kinds, parse.GetValue(trec), parse.GetValue(json), ct));
            if (parse.GetValue(questions) is { } file) return Task.FromResult(RunQuestions(tutor, file, kinds, parse.GetValue(json), ct));
            throw new UserException("give --questions FILE or --beir DIR");
        });
        return command;
    }

    private static int RunQuestions(Tutor tutor, string file, RetrieverKind[] kinds, bool json, CancellationToken ct)
    {
        InputFile.Require(file);
        var set = tutor.LoadQuestionSet(file);
        Output.UpdateBeforeQuestions(tutor, ct);
        var evaluation = tutor.EvaluateQuestions(set, kinds);
        var reports = evaluation.Reports;
        var calibrations = evaluation.Calibrations;
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

    private static int RunBeir(Tutor tutor, string directory, RetrieverKind[] kinds, string? trecPath, bool json, CancellationToken ct)
    {
        var dataset = BeirDataset.Load(directory);
        Console.Error.WriteLine($"{dataset.Name}: {dataset.Documents.Count} documents, {dataset.Queries.Count} judged queries; index in {Path.GetFullPath(tutor.BeirIndexDirectory(dataset))}");
        BeirEvaluation run;
        using (var trecWriter = trecPath is null ? null : new StreamWriter(trecPath))
            run = tutor.EvaluateBeir(dataset, kinds, trecWriter, Output.ProgressLines(), ct);
        var (build, scores) = (run.Build, run.Scores);
        var piecesPerSecond = build.Embedded > 0 ? build.EmbeddedPieces / build.Elapsed.TotalSeconds : 0;
        var model = TutorNames.Name(tutor.Variant);
        var table = new Table().AddColumns("retriever", "nDCG@10", "Recall@10", "Recall@100", "queries/s");
        foreach (var s in scores) table.AddRow(s.Retriever, $"{s.NdcgAt10:0.0000}", $"{s.RecallAt10:0.0000}", $"{s.RecallAt100:0.0000}", $"{s.QueriesPerSecond:0}");
        // With --json the table goes to stderr, so that stdout ends with the JSON object alone.
        (json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console).Write(table);
        Console.Error.WriteLine(build.UpToDate
            ? "index reused: nothing embedded in this run"
            : $"indexed in {build.Elapsed.TotalSeconds:0.0} s, {piecesPerSecond:0} pieces/s ({build.EmbeddedPieces} pieces, model {model})");
        if (json)
            Output.WriteJson(new Dictionary<string, object?>
            {
                ["dataset"] = dataset.Name, ["docs"] = dataset.Documents.Count, ["queries"] = dataset.Queries.Count,
                ["model"] = model,
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
