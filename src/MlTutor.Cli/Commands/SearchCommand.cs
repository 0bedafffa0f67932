using System.CommandLine;
using MlTutor.Retrieval;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor search</c>: the ranked passages for a question (or for every question of a JSONL file), without answering.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per question" };
        var batch = new Option<string?>("--batch") { Description = "JSONL file with one {\"id\", \"question\"} per line, with an optional \"history\" of earlier questions", HelpName = "FILE" };
        var question = new Argument<string?>("QUESTION") { Description = "Your question", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("search", "Show the passages the tutor would use, ranked, with scores")
        {
            json, batch, QuestionOptionsBinding.K, QuestionOptionsBinding.Retriever, question,
        };
        command.SetAction((parse, ct) =>
        {
            BatchFile.RequireQuestionOrBatch(parse, question, batch);
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: parse.GetValue(batch) is not null);
            var tutor = host.Tutor();
            var options = QuestionOptionsBinding.From(parse);
            var maxChars = tutor.Settings.Retrieval.MaxQuestionChars;
            var questions = parse.GetValue(batch) is { } file
                ? BatchFile.ReadQuestions(file, maxChars)
                : parse.GetValue(question) is { Length: > 0 } q ? [new BatchQuestion("", QuestionInput.Prepare(q, maxChars), [])] : throw new UserException("give a QUESTION or --batch FILE");
            tutor.StartLoadingForSearches();
            Output.UpdateBeforeQuestions(tutor, ct);
            foreach (var (id, text, history) in questions)
            {
                ct.ThrowIfCancellationRequested();
                var context = tutor.Retrieve(text, options with { History = history });
                if (parse.GetValue(json)) WriteJson(id, context);
                else Print(context);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static void WriteJson(string id, RetrievedContext context) => Output.WriteJson(Json(id, context));

    /// <summary>The passages as search --json writes them (serve's /api/search too).</summary>
    public static object Json(string id, RetrievedContext context) => new
    {
        id,
        notCovered = context.NotCovered,
        results = context.Passages.Select(p => new
        {
            chunkId = p.Chunk.Id, file = p.Chunk.File, startLine = p.Chunk.StartLine, endLine = p.Chunk.EndLine,
            headingPath = p.Chunk.HeadingPath, score = Math.Round(p.Score, 6), text = p.Chunk.Text,
        }),
        standaloneQuestion = context.StandaloneQuestion,
    };

    private static void Print(RetrievedContext context)
    {
        if (context.NotCovered) AnsiConsole.MarkupLine("[yellow]The notes do not seem to cover this question; the closest passages:[/]");
        var rank = 0;
        foreach (var p in context.Passages)
        {
            var c = p.Chunk;
            AnsiConsole.MarkupLine($"[bold]{++rank}.[/] [cyan]{Markup.Escape($"{c.File}:{c.StartLine}-{c.EndLine}")}[/] [grey]{p.Score:0.000} — {Markup.Escape(c.HeadingPath)}[/]");
            var preview = string.Join(' ', c.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
            AnsiConsole.WriteLine("   " + (preview.Length > 240 ? preview[..240] + "…" : preview));
        }
    }
}
