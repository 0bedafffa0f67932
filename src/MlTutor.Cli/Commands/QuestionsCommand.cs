using System.CommandLine;
using MlTutor.Ingestion;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor questions [--topic T] [--json]</c>: the question bank, the questions the notes themselves answer.</summary>
public static class QuestionsCommand
{
    public static Command Create()
    {
        var topic = new Option<string?>("--topic") { Description = "Only questions whose question, headings or file contain this" };
        var json = new Option<bool>("--json") { Description = "One JSON object per question per line" };
        var command = new Command("questions", "List the questions the notes answer: flashcards, Q/A pairs, headings written as questions") { topic, json };
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            Output.UpdateBeforeQuestions(tutor, ct);
            var questions = tutor.Questions(parse.GetValue(topic));
            if (parse.GetValue(json))
                foreach (var q in questions)
                    Output.WriteJson(new { itemId = q.ItemId, question = q.Question, file = q.File, startLine = q.StartLine, endLine = q.EndLine, headingPath = q.HeadingPath, kind = q.KindName });
            else Print(questions);
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Print(IReadOnlyList<BankQuestion> questions)
    {
        foreach (var q in questions)
            AnsiConsole.MarkupLine($"{Markup.Escape(q.Question)} [dim]({Markup.Escape(q.File)}:{q.StartLine}, {q.KindName})[/]");
        Console.Error.WriteLine($"{questions.Count} questions");
    }
}
