using System.CommandLine;
using MlTutor.Answering;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor ask "QUESTION"</c>: one cited answer from the notes (the index is built or updated first when needed).</summary>
public static class AskCommand
{
    public static readonly Option<int?> K = CommonOptions.WholeNumber("--k", $"How many passages to retrieve, 1 to {TutorSettings.RetrievalSettings.MaxK} (default: Retrieval:K)", CommonOptions.KRange);
    public static readonly Option<string?> Retriever = new("--retriever") { Description = "dense, keyword or hybrid (default: Retrieval:Retriever)" };
    public static readonly Option<string?> Llm = new("--llm") { Description = "offline (built in) or openai (Answering:Endpoint)" };
    public static readonly Option<bool> Interviewer = new("--interviewer") { Description = "Explain like an interviewer: the question, what a strong answer covers, a follow-up" };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object: question, answer, notCovered, citations" };
        var batch = new Option<string?>("--batch") { Description = "Answer every question of a JSONL file ({\"id\", \"question\"} per line), one JSON line each", HelpName = "FILE" };
        var question = new Argument<string?>("QUESTION") { Description = "Your question, in your own words", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ask", "Answer a question from the notes, with numbered citations") { json, batch, K, Retriever, Llm, Interviewer, question };
        command.SetAction(async (parse, ct) =>
        {
            SearchCommand.RequireQuestionOrBatch(parse, question, batch);
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var style = parse.GetValue(Interviewer) ? AnswerStyle.Interviewer : AnswerStyle.Tutor;
            if (parse.GetValue(batch) is { } file)
            {
                var questions = SearchCommand.ReadBatch(file, tutor.Settings.Retrieval.MaxQuestionChars);
                Output.UpdateIndexWithProgress(tutor, rebuild: false, ct, beforeQuery: true);
                foreach (var (id, q) in questions)
                {
                    var a = await AskAsync(tutor, parse, q, style, ct);
                    Output.WriteJson(new { id, question = a.Question, answer = a.Text, notCovered = a.NotCovered, citations = CitationsJson(a) });
                }
                return 0;
            }
            var text = parse.GetValue(question);
            if (string.IsNullOrWhiteSpace(text)) throw new UserException("the question is empty: give a QUESTION or --batch FILE");
            text = QuestionInput.Prepare(text, tutor.Settings.Retrieval.MaxQuestionChars);
            Output.UpdateIndexWithProgress(tutor, rebuild: false, ct, beforeQuery: true);
            var answer = await AskAsync(tutor, parse, text, style, ct);
            if (parse.GetValue(json)) WriteJson(answer);
            else Print(answer);
            return 0;
        });
        return command;
    }

    public static Task<Answer> AskAsync(Tutor tutor, ParseResult parse, string question, AnswerStyle style, CancellationToken ct)
    {
        var k = parse.GetValue(K) ?? tutor.Settings.Retrieval.K;
        // The answerer first: it decides which encoder session embeds the question (see Tutor.CreateAnswerer).
        var answerer = tutor.CreateAnswerer(parse.GetValue(Llm));
        var context = tutor.Retrieve(question, k, parse.GetValue(Retriever) ?? tutor.Settings.Retrieval.Retriever);
        return answerer.AnswerAsync(context, style, ct);
    }

    public static void WriteJson(Answer answer) => Output.WriteJson(new
    {
        question = answer.Question,
        answer = answer.Text,
        notCovered = answer.NotCovered,
        citations = CitationsJson(answer),
    });

    private static IEnumerable<object> CitationsJson(Answer answer) =>
        answer.Citations.Select(c => new { n = c.N, file = c.File, startLine = c.StartLine, endLine = c.EndLine, headingPath = c.HeadingPath, chunkId = c.ChunkId });

    public static void Print(Answer answer)
    {
        var console = AnsiConsole.Console;
        // The answer itself is written as it is: the terminal wraps it, and a copy-paste keeps its lines.
        Console.Out.WriteLine(answer.Text);
        if (answer.Citations.Count == 0) return;
        Console.Out.WriteLine();
        if (!Output.Interactive)
        {
            Console.Out.WriteLine("Sources");
            foreach (var c in answer.Citations) Console.Out.WriteLine($"  [{c.N}] {c.File}:{c.StartLine}-{c.EndLine} — {c.HeadingPath}");
            return;
        }
        console.MarkupLine("[bold]Sources[/]");
        foreach (var c in answer.Citations)
            console.MarkupLine($"  [[{c.N}]] [cyan]{Markup.Escape($"{c.File}:{c.StartLine}-{c.EndLine}")}[/] [grey]— {Markup.Escape(c.HeadingPath)}[/]");
    }
}
