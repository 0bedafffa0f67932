using System.CommandLine;
using System.Diagnostics;
using MlTutor.Answering;
using MlTutor.Cli.Terminal;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor chat</c>: a conversation in the terminal. Each line is a question, read with the earlier ones when it leans on
/// them; lines starting with / are the commands of <see cref="Help"/>. The conversation is saved with the index, and
/// <c>--continue</c> resumes it.
/// </summary>
public static class ChatCommand
{
    private const string HistoryFileName = "chat-history.txt";

    public const string Help =
        "/help               these commands\n"
        + "/mode tutor|interviewer  plain answers, or explained the way an interviewer wants them\n"
        + "/k N                passages to retrieve for each question (1-100)\n"
        + "/sources            the sources of the last answer again\n"
        + "/cite N             the lines behind citation N of the last answer, with the lines around them\n"
        + "/open N             open the note of citation N at its line in $EDITOR (else print path:line)\n"
        + "/reindex            update the index from the notes now\n"
        + "/new                a new conversation: the next question is read on its own\n"
        + "/quit               leave (also Ctrl-D, or Ctrl-C on an empty line)";

    public static Command Create()
    {
        var resume = new Option<bool>("--continue") { Description = "Resume the last conversation in these notes" };
        var command = new Command("chat", "Ask questions one after another, with follow-ups; in the chat:\n" + Help)
        {
            resume, QuestionOptionsBinding.K, QuestionOptionsBinding.Retriever, QuestionOptionsBinding.Llm, QuestionOptionsBinding.Interviewer,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: true);
            var tutor = host.Tutor();
            tutor.StartLoadingForAnswers();
            Output.UpdateBeforeQuestions(tutor, ct);
            // Edits are picked up in the background while the chat goes on; where the notes cannot be watched, each
            // question checks them first instead.
            using var heard = new HeardUpdates(tutor);
            var session = new ChatSession(tutor, QuestionOptionsBinding.From(parse), heard);
            if (parse.GetValue(resume)) session.Resume();
            if (heard.Polling is { } why) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(why)}; each question checks them first[/]");
            await session.RunAsync(ChatInput.Open(Path.Combine(tutor.IndexDirectory, HistoryFileName)), ct);
            return 0;
        });
        return command;
    }

    /// <summary>One chat: the questions asked so far, the last answer, and the options the commands change.</summary>
    private sealed class ChatSession(Tutor tutor, QuestionOptions options, HeardUpdates heard)
    {
        private readonly List<string> _asked = [];
        private Answer? _last;
        private QuestionOptions _options = options;
        private bool _saveFailed;

        public void Resume()
        {
            if (tutor.LastConversation() is not { Questions.Count: > 0 } saved)
            {
                AnsiConsole.MarkupLine("[grey]No saved conversation in these notes: starting a new one.[/]");
                return;
            }
            _asked.AddRange(saved.Questions);
            AnsiConsole.MarkupLine($"[grey]Resuming the conversation of {saved.SavedAt.ToLocalTime():yyyy-MM-dd HH:mm} "
                + $"({_asked.Count} question{(_asked.Count == 1 ? "" : "s")}; the last: {Markup.Escape(_asked[^1])})[/]");
        }

        public async Task RunAsync(ChatInput input, CancellationToken ct)
        {
            AnsiConsole.MarkupLine($"[grey]MlTutor over {Markup.Escape(tutor.CorpusDirectory)}. Type a question, /help, or /quit.[/]");
            while (!ct.IsCancellationRequested)
            {
                Interruption.AtPrompt = true;
                var (prompt, colour) = _options.Style == AnswerStyle.Interviewer ? ("interviewer>", "33") : ("you>", "32");
                var line = await input.ReadLineAsync(prompt, colour);
                Interruption.AtPrompt = false;
                if (line is null) break;
                line = line.Trim();
                if (line.Length == 0) continue;
                if (IsSlashCommand(line.Split(' ', 2)[0]))
                {
                    if (!RunCommand(line, ct)) break;
                    continue;
                }
                await AskAsync(line, ct);
                AnsiConsole.WriteLine();
            }
        }

        /// <summary>Runs a /command; false when it ends the chat.</summary>
        private bool RunCommand(string line, CancellationToken ct)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var argument = parts.Length > 1 ? parts[1] : null;
            switch (parts[0].ToLowerInvariant())
            {
                case "/quit" or "/exit":
                    return false;
                case "/help":
                    Console.Out.WriteLine(Help);
                    break;
                case "/new":
                    _asked.Clear();
                    _last = null;
                    Save();
                    AnsiConsole.MarkupLine("[grey]New conversation.[/]");
                    break;
                case "/mode" when argument?.ToLowerInvariant() is "tutor" or "interviewer":
                    SetStyle(argument.Equals("tutor", StringComparison.OrdinalIgnoreCase) ? AnswerStyle.Tutor : AnswerStyle.Interviewer);
                    break;
                case "/mode":
                    Console.Error.WriteLine("usage: /mode tutor|interviewer");
                    break;
                case "/interviewer":
                    SetStyle(AnswerStyle.Interviewer);
                    break;
                case "/tutor":
                    SetStyle(AnswerStyle.Tutor);
                    break;
                case "/k" when int.TryParse(argument, out var k) && k is >= 1 and <= TutorSettings.RetrievalSettings.MaxK:
                    _options = _options with { K = k };
                    AnsiConsole.MarkupLine($"[grey]{k} passages per question.[/]");
                    break;
                case "/k":
                    Console.Error.WriteLine($"usage: /k N, where N is 1 to {TutorSettings.RetrievalSettings.MaxK}");
                    break;
                case "/sources":
                    if (_last is null) Console.Error.WriteLine("no answer yet: ask a question first");
                    else AnswerRendering.PrintSourcesOf(_last);
                    break;
                case "/cite":
                    if (CitationOf(argument) is { } cited) ShowCitation(cited);
                    break;
                case "/open":
                    if (CitationOf(argument) is { } opened) Open(opened);
                    break;
                case "/reindex":
                    Reindex(ct);
                    break;
                default:
                    // A mistyped command is not a question: answering "/bogus" from the notes would only confuse.
                    Console.Error.WriteLine($"unknown command {parts[0]}: /help lists them");
                    break;
            }
            return true;
        }

        private void SetStyle(AnswerStyle style)
        {
            _options = _options with { Style = style };
            AnsiConsole.MarkupLine(style == AnswerStyle.Interviewer
                ? "[grey]Interviewer mode: answers say what a strong answer covers, and what an interviewer asks next.[/]"
                : "[grey]Tutor mode: plain answers.[/]");
        }

        private async Task AskAsync(string line, CancellationToken ct)
        {
            try
            {
                var question = QuestionInput.Prepare(line, tutor.Settings.Retrieval.MaxQuestionChars);
                // A note edited since the last question is read again first, so answers and /cite see the notes as they are
                // (by the watch in the background, or here where the notes cannot be watched).
                if (heard.Polling is not null) Output.UpdateBeforeQuestions(tutor, ct);
                heard.Say();
                using var stop = Interruption.StopsAnswer();
                try
                {
                    _last = await AnswerRendering.PrintAsync(tutor.AskStreamingAsync(question, _options with { History = [.. _asked] }, stop.Token));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    AnsiConsole.MarkupLine("[grey](stopped)[/]");
                    return;
                }
                if (_last.StandaloneQuestion != _last.Question)
                    AnsiConsole.MarkupLine($"[grey](read with the conversation as: {Markup.Escape(_last.StandaloneQuestion)})[/]");
                _asked.Add(question);
                Save();
            }
            catch (Exception e) when (ErrorReporting.IsUserError(e))
            {
                // The conversation goes on: a broken endpoint or an unreadable note should not end it.
                Console.Error.WriteLine("mltutor: " + ErrorReporting.Describe(e));
            }
        }

        /// <summary>Keeps the conversation for --continue; a folder that cannot be written is said once, not at every turn.</summary>
        private void Save()
        {
            try { tutor.SaveConversation(_asked); }
            catch (TutorException e) when (!_saveFailed)
            {
                _saveFailed = true;
                Console.Error.WriteLine("warning: " + e.Message + "; the chat goes on without saving it");
            }
            catch (TutorException) { }
        }

        private Citation? CitationOf(string? argument)
        {
            if (_last is null || !int.TryParse(argument, out var n) || _last.Citations.FirstOrDefault(c => c.N == n) is not { } c)
            {
                Console.Error.WriteLine("usage: /cite N or /open N, where N is a citation number of the last answer");
                return null;
            }
            return c;
        }

        private void ShowCitation(Citation c)
        {
            // The note may have changed since the answer: say so and keep the conversation going.
            try { CitationRendering.Print(tutor.Cite(new CitationReference(c.File, c.StartLine, c.EndLine), context: 2), c.HeadingPath); }
            catch (Exception e) when (ErrorReporting.IsUserError(e)) { Console.Error.WriteLine(ErrorReporting.Describe(e)); }
        }

        private void Open(Citation c)
        {
            var path = Path.Combine(tutor.CorpusDirectory, c.File);
            var editor = Environment.GetEnvironmentVariable("VISUAL") is { Length: > 0 } visual ? visual : Environment.GetEnvironmentVariable("EDITOR");
            if (string.IsNullOrWhiteSpace(editor) || Console.IsInputRedirected)
            {
                Console.Out.WriteLine($"{path}:{c.StartLine}");
                return;
            }
            try
            {
                // "+LINE FILE" is understood by vi, vim, nano, emacs and most terminal editors.
                var start = new ProcessStartInfo("/bin/sh", ["-c", editor + " \"+$1\" \"$2\"", "editor", c.StartLine.ToString(), path]) { UseShellExecute = false };
                using var process = Process.Start(start)!;
                process.WaitForExit();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Console.Error.WriteLine($"the editor '{editor}' could not be started ({e.Message}): {path}:{c.StartLine}");
            }
        }

        private void Reindex(CancellationToken ct)
        {
            try { Output.UpdateIndex(tutor, rebuild: false, ct); }
            catch (Exception e) when (ErrorReporting.IsUserError(e)) { Console.Error.WriteLine("mltutor: " + ErrorReporting.Describe(e)); }
        }

        /// <summary>A word such as "/bogus": a slash and letters only, so that a question like "/etc/hosts?" still gets asked.</summary>
        private static bool IsSlashCommand(string word) => word.Length > 1 && word[0] == '/' && word[1..].All(char.IsAsciiLetter);
    }
}
