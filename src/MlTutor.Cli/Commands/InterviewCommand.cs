using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MlTutor.Cli.Terminal;
using MlTutor.Tutoring;
using Spectre.Console;

namespace MlTutor.Cli.Commands;

/// <summary>
/// <c>mltutor interview</c> and <c>mltutor review</c>: questions from the notes' own flashcards and Q/A pairs, due ones
/// first; the answer (several lines, an empty line ends it) is graded against the notes, the key points missed are shown
/// with the lines to re-read, the notes' own answer follows, and the question's next review is scheduled.
/// </summary>
public static class InterviewCommand
{
    public const string Help = "Answer in your own words over one or more lines; an empty line ends the answer.\n"
        + "/hint  where in the notes the answer is      /skip  the next question      /quit  stop";

    public static Command Create() => Session("interview", "A mock interview from your notes: asked, answered, graded, scheduled", defaultCount: 5, withTopic: true);

    public static Command CreateReview() => Session("review", "Review the questions that are due (then new ones), graded and rescheduled", defaultCount: 10, withTopic: false);

    private static Command Session(string name, string description, int defaultCount, bool withTopic)
    {
        var topic = new Option<string?>("--topic") { Description = "Only questions whose topic (or note) contains this" };
        var count = new Option<int>("--n") { Description = "How many questions", DefaultValueFactory = _ => defaultCount };
        var command = new Command(name, description + "\n" + Help) { count, QuestionOptionsBinding.Llm };
        if (withTopic) command.Options.Add(topic);
        command.SetAction(async (parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse, questionAfterQuestion: true);
            var tutor = host.Tutor();
            Output.UpdateBeforeQuestions(tutor, ct);
            var provider = QuestionOptionsBinding.ProviderFrom(parse);
            var questions = tutor.NextQuestions(parse.GetValue(count), withTopic ? parse.GetValue(topic) : null);
            if (questions.Count == 0)
            {
                Console.Out.WriteLine("Your notes hold no flashcards or Q/A pairs to ask" + (withTopic && parse.GetValue(topic) is { } t ? $" on '{t}'." : "."));
                return 0;
            }
            var input = ChatInput.Open(Path.Combine(tutor.IndexDirectory, "chat-history.txt"));
            // Notes edited during the interview are re-indexed in the background, as in chat: an answer is graded against
            // the notes as they are, and the update is said once, quietly, before what comes next.
            using var heard = new HeardUpdates(tutor);
            if (heard.Polling is { } why) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(why)}; each answer checks them first[/]");
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(Help)}[/]");
            for (var i = 0; i < questions.Count && !ct.IsCancellationRequested; i++)
            {
                heard.Say();
                var question = questions[i];
                AnsiConsole.WriteLine();
                AnsiConsole.MarkupLine($"[bold]Question {i + 1} of {questions.Count}[/] [grey]({Markup.Escape(question.Topic)})[/]");
                AnsiConsole.MarkupLine(Markup.Escape(question.Question));
                var watch = Stopwatch.StartNew();
                var (answer, command) = await ReadAnswerAsync(input, question);
                if (command == "/quit") break;
                if (command == "/skip" || answer.Length == 0) continue;
                if (heard.Polling is not null) Output.UpdateBeforeQuestions(tutor, ct);
                heard.Say();
                var (grade, review) = await GradeAsync(tutor, question, answer, watch.Elapsed, provider, ct);
                PrintGrade(grade);
                PrintModelGrade(grade);
                await PrintModelAnswerAsync(tutor, question, ct);
                var due = review.After.Due.ToLocalTime();
                AnsiConsole.MarkupLine($"[grey]Next review of this question: {due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} "
                    + $"(in {Math.Max(0, (int)Math.Round((review.After.Due - review.At).TotalDays))} days; rated {review.Rating}).[/]");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The answer's lines up to an empty one, or a command given instead of an answer.</summary>
    private static async Task<(string Answer, string? Command)> ReadAnswerAsync(ChatInput input, InterviewQuestion question)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await input.ReadLineAsync(lines.Count == 0 ? "answer>" : "      >", "36");
            if (line is null) return (string.Join('\n', lines), lines.Count == 0 ? "/quit" : null);
            line = line.Trim();
            if (lines.Count == 0 && line is "/quit" or "/skip") return ("", line);
            if (lines.Count == 0 && line == "/hint")
            {
                AnsiConsole.MarkupLine($"[grey]Hint: the answer is in {Markup.Escape(question.File)} near line {question.StartLine}, under "
                    + $"'{Markup.Escape(question.Topic)}'.[/]");
                continue;
            }
            if (line.Length == 0) return (string.Join('\n', lines), null);
            lines.Add(line);
        }
    }

    /// <summary>The answer graded and scheduled; a spinner turns while a language model grades it too.</summary>
    private static async Task<(GradedAnswer, Tutoring.Reviews.ReviewLogEntry)> GradeAsync(Tutor tutor, InterviewQuestion question, string answer,
        TimeSpan answerTime, AnswerProvider? provider, CancellationToken ct)
    {
        var spinner = Output.Interactive ? Terminal.Spinner.Start() : null;
        try
        {
            return await tutor.AnswerInterviewQuestionAsync(question, answer, answerTime, provider, ct);
        }
        finally
        {
            if (spinner is not null) await spinner.DisposeAsync();
        }
    }

    /// <summary>The language model's grade, after the offline one: its score and feedback, or why it gave none.</summary>
    private static void PrintModelGrade(GradedAnswer grade)
    {
        if (grade.ModelError is { } error)
            AnsiConsole.MarkupLine($"[grey]The language model gave no grade ({Markup.Escape(error)}); the grade above stands.[/]");
        if (grade.ByModel is not { } model) return;
        var score = GradeRendering.OutOfTen(model) is { } outOfTen ? " — " + outOfTen : "";
        AnsiConsole.MarkupLine($"[bold]The interviewer ({Markup.Escape(model.Provider)} model)[/]{score}");
        AnsiConsole.WriteLine(model.Feedback);
    }

    private static void PrintGrade(GradedAnswer grade)
    {
        var colour = grade.Verdict switch { GradeVerdict.Pass => "green", GradeVerdict.Partial => "yellow", _ => "red" };
        AnsiConsole.MarkupLine($"[{colour} bold]{grade.Verdict.ToString().ToLowerInvariant()}[/] — score {grade.Score.ToString("0.00", CultureInfo.InvariantCulture)}");
        if (grade.NotCovered) AnsiConsole.MarkupLine("[grey]The notes do not cover this question: there was nothing to grade against.[/]");
        foreach (var k in grade.Covered)
            AnsiConsole.MarkupLine($"  [green]✓[/] {Markup.Escape(k.Point.Text)}");
        foreach (var k in grade.Missed)
        {
            AnsiConsole.MarkupLine($"  [red]✗[/] {Markup.Escape(k.Point.Text)} [cyan]re-read {Markup.Escape($"{k.Point.File}:{k.Point.StartLine}-{k.Point.EndLine}")}[/]");
            if (k.Contradiction is { } c)
                AnsiConsole.MarkupLine($"    [red]you said \"{Markup.Escape(c.Said)}\" where the notes say \"{Markup.Escape(c.NotesSay)}\"[/]");
        }
    }

    /// <summary>The notes' own answer to the question, as ask gives it offline.</summary>
    private static async Task PrintModelAnswerAsync(Tutor tutor, InterviewQuestion question, CancellationToken ct)
    {
        AnsiConsole.MarkupLine("[bold]From your notes[/]");
        await AnswerRendering.PrintAsync(tutor.AskStreamingAsync(question.Question, new QuestionOptions { Provider = AnswerProvider.Offline }, ct));
    }

    /// <summary><c>mltutor progress</c>: per topic, items seen, estimated retention, due today and this week.</summary>
    public static Command CreateProgress()
    {
        var command = new Command("progress", "How your reviews stand, topic by topic");
        command.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            var topics = tutor.ReviewProgress();
            if (topics.Count == 0)
            {
                Console.Out.WriteLine("No question answered yet: start with ./mltutor interview.");
                return Task.FromResult(0);
            }
            var table = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("topic").NoWrap()).AddColumn(new TableColumn("seen").RightAligned())
                .AddColumn("estimated retention").AddColumn(new TableColumn("due today").RightAligned()).AddColumn(new TableColumn("due this week").RightAligned());
            foreach (var t in topics)
                table.AddRow(Markup.Escape(t.Topic), t.ItemsSeen.ToString(CultureInfo.InvariantCulture), Bar(t.EstimatedRetention),
                    t.DueToday.ToString(CultureInfo.InvariantCulture), t.DueThisWeek.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>A share as a small bar and a percentage: ██████░░░░ 62%.</summary>
    private static string Bar(double share)
    {
        var filled = (int)Math.Round(Math.Clamp(share, 0, 1) * 10);
        return $"[green]{new string('█', filled)}[/][grey]{new string('░', 10 - filled)}[/] {share * 100:0}%";
    }
}
