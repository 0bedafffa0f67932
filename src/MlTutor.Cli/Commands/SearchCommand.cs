using System.CommandLine;
using System.Text.Json;
using MlTutor.Retrieval;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor search</c>: the ranked passages for a question (or for every question of a JSONL file), without answering.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: one object per question" };
        var batch = new Option<string?>("--batch") { Description = "JSONL file with one {\"id\", \"question\"} per line", HelpName = "FILE" };
        var question = new Argument<string?>("QUESTION") { Description = "Your question", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("search", "Show the passages the tutor would use, ranked, with scores") { json, batch, AskCommand.K, AskCommand.Retriever, question };
        command.SetAction((parse, ct) =>
        {
            RequireQuestionOrBatch(parse, question, batch);
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var k = parse.GetValue(AskCommand.K) ?? tutor.Settings.Retrieval.K;
            var retriever = parse.GetValue(AskCommand.Retriever) ?? tutor.Settings.Retrieval.Retriever;
            var maxChars = tutor.Settings.Retrieval.MaxQuestionChars;
            var questions = parse.GetValue(batch) is { } file
                ? ReadBatch(file, maxChars)
                : parse.GetValue(question) is { Length: > 0 } q ? [("", QuestionInput.Prepare(q, maxChars))] : throw new UserException("give a QUESTION or --batch FILE");
            Output.UpdateIndexWithProgress(tutor, rebuild: false, ct, beforeQuery: true);
            foreach (var (id, text) in questions)
            {
                ct.ThrowIfCancellationRequested();
                var context = tutor.Retrieve(text, k, retriever);
                if (parse.GetValue(json)) WriteJson(id, context);
                else Print(context);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static void WriteJson(string id, RetrievedContext context) => Output.WriteJson(new
    {
        id,
        notCovered = context.NotCovered,
        results = context.Passages.Select(p => new
        {
            chunkId = p.Chunk.Id, file = p.Chunk.File, startLine = p.Chunk.StartLine, endLine = p.Chunk.EndLine,
            headingPath = p.Chunk.HeadingPath, score = Math.Round(p.Score, 6), text = p.Chunk.Text,
        }),
    });

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

    /// <summary>A QUESTION beside --batch FILE would be silently left unanswered: one or the other.</summary>
    public static void RequireQuestionOrBatch(ParseResult parse, Argument<string?> question, Option<string?> batch)
    {
        if (parse.GetValue(batch) is { } file && parse.GetValue(question) is not null)
            throw new UserException($"give a QUESTION or --batch {file}, not both: put the question in the batch file, or leave out --batch");
    }

    /// <summary>
    /// Reads {"id", "question"} lines, each question cut to <paramref name="maxQuestionChars"/> (with a warning naming the
    /// line); a malformed line, or a file without any question, is an error naming the file (and line).
    /// </summary>
    public static List<(string Id, string Question)> ReadBatch(string file, int maxQuestionChars)
    {
        InputFile.Require(file);
        var result = new List<(string, string)>();
        var no = 0;
        foreach (var line in File.ReadLines(file))
        {
            no++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new UserException($"{file}:{no}: not a JSON object: write {{\"id\": \"q1\", \"question\": \"...\"}}");
                var id = !root.TryGetProperty("id", out var i) ? no.ToString()
                    : i.ValueKind == JsonValueKind.String ? QuestionInput.JsonString(i) : i.ToString();
                var text = QuestionText(root, file, no);
                if (string.IsNullOrWhiteSpace(text)) throw new UserException($"{file}:{no}: no \"question\" text");
                result.Add((id, QuestionInput.Prepare(text, maxQuestionChars, $"{file}:{no}")));
            }
            catch (JsonException e)
            {
                throw new UserException($"{file}:{no}: not a JSON object ({e.Message})");
            }
        }
        if (result.Count == 0)
            throw new UserException($"{file} holds no questions: write one {{\"id\": \"q1\", \"question\": \"...\"}} per line");
        return result;
    }

    /// <summary>The "question" (or "text") of a line; any other JSON type than a string is named, not converted.</summary>
    private static string? QuestionText(JsonElement line, string file, int no)
    {
        foreach (var name in (string[])["question", "text"])
        {
            if (!line.TryGetProperty(name, out var value)) continue;
            if (value.ValueKind != JsonValueKind.String)
                throw new UserException($"{file}:{no}: \"{name}\" is {value.ValueKind.ToString().ToLowerInvariant()}, not a string: write the question as text in quotes");
            return QuestionInput.JsonString(value);
        }
        return null;
    }
}
