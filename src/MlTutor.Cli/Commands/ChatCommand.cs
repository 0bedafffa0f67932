using System.CommandLine;
using MlTutor.Answering;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor chat</c>: a conversation in the terminal. Each line is a question, read with the earlier ones when it leans on
/// them; /interviewer and /tutor switch the style, /cite N shows the lines behind citation N of the last answer, /new
/// starts a new conversation.
/// </summary>
public static class ChatCommand
{
    public static Command Create()
    {
        var command = new Command("chat", "Ask questions one after another; /help lists the commands")
        {
            QuestionOptionsBinding.K, QuestionOptionsBinding.Retriever, QuestionOptionsBinding.Llm, QuestionOptionsBinding.Interviewer,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var options = QuestionOptionsBinding.From(parse);
            Output.UpdateBeforeQuestions(tutor, ct);
            Answer? last = null;
            // The questions asked so far, oldest first: a follow-up ("and its disadvantages?") is read with the turns it
            // leans on; /new starts afresh.
            var asked = new List<string>();
            AnsiConsole.MarkupLine($"[grey]MlTutor over {Markup.Escape(tutor.CorpusDirectory)}. Type a question, /help, or /quit.[/]");
            while (!ct.IsCancellationRequested)
            {
                if (!Console.IsInputRedirected) AnsiConsole.Markup(options.Style == AnswerStyle.Interviewer ? "[yellow]interviewer>[/] " : "[green]you>[/] ");
                Interruption.AtPrompt = true;
                var line = Console.ReadLine();
                Interruption.AtPrompt = false;
                if (line is null) break;
                line = line.Trim();
                if (line.Length == 0) continue;
                switch (line.Split(' ', 2)[0].ToLowerInvariant())
                {
                    case "/quit" or "/exit":
                        return 0;
                    case "/help":
                        AnsiConsole.MarkupLine("/interviewer  explain like an interviewer\n/tutor        plain answers\n/cite N       show the lines behind citation N\n"
                            + "/new          a new conversation: the next question is read on its own\n/quit         leave");
                        continue;
                    case "/new":
                        asked.Clear();
                        last = null;
                        AnsiConsole.MarkupLine("[grey]New conversation.[/]");
                        continue;
                    case "/interviewer":
                        options = options with { Style = AnswerStyle.Interviewer }; continue;
                    case "/tutor":
                        options = options with { Style = AnswerStyle.Tutor }; continue;
                    case "/cite":
                        ShowCitation(tutor, last, line);
                        continue;
                    case var word when IsSlashCommand(word):
                        // A mistyped command is not a question: answering "/bogus" from the notes would only confuse.
                        Console.Error.WriteLine($"unknown command {word}: /help lists them");
                        continue;
                }
                try
                {
                    var question = QuestionInput.Prepare(line, tutor.Settings.Retrieval.MaxQuestionChars);
                    last = await AnswerRendering.PrintAsync(tutor.AskStreamingAsync(question, options with { History = [.. asked] }, ct));
                    if (last.StandaloneQuestion != last.Question)
                        AnsiConsole.MarkupLine($"[grey](read with the conversation as: {Markup.Escape(last.StandaloneQuestion)})[/]");
                    asked.Add(question);
                }
                catch (AnswererException e)
                {
                    // The conversation goes on: a broken endpoint should not end it.
                    Console.Error.WriteLine("mltutor: " + e.Message);
                }
                AnsiConsole.WriteLine();
            }
            return 0;
        });
        return command;
    }

    /// <summary>A word such as "/bogus": a slash and letters only, so that a question like "/etc/hosts?" still gets asked.</summary>
    private static bool IsSlashCommand(string word) => word.Length > 1 && word[0] == '/' && word[1..].All(char.IsAsciiLetter);

    private static void ShowCitation(Tutor tutor, Answer? last, string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (last is null || parts.Length < 2 || !int.TryParse(parts[1], out var n) || last.Citations.FirstOrDefault(c => c.N == n) is not { } c)
        {
            Console.Error.WriteLine("usage: /cite N, where N is a citation number of the last answer");
            return;
        }
        // The note may have changed since the answer: say so and keep the conversation going.
        try { CitationRendering.Print(tutor.Cite(new CitationReference(c.File, c.StartLine, c.EndLine))); }
        catch (Exception e) when (ErrorReporting.IsUserError(e)) { Console.Error.WriteLine(ErrorReporting.Describe(e)); }
    }
}
