using MlTutor.Answering;
using MlTutor.Cli.Terminal;
using Spectre.Console;

namespace MlTutor.Cli;

/// <summary>How an answer is shown: its text and numbered sources for people, one JSON object for programs.</summary>
public static class AnswerRendering
{
    public static object Json(Answer answer, string? id = null) => id is null
        ? new
        {
            question = answer.Question, answer = answer.Text, notCovered = answer.NotCovered, citations = CitationsJson(answer),
            droppedMarkers = answer.DroppedMarkers, uncited = answer.Uncited, promptTokens = answer.PromptTokens,
            completionTokens = answer.CompletionTokens, stoppedRepeating = answer.StoppedRepeating, offlineAnswer = OfflineJson(answer),
        }
        : new
        {
            id, question = answer.Question, answer = answer.Text, notCovered = answer.NotCovered, citations = CitationsJson(answer),
            standaloneQuestion = answer.StandaloneQuestion,
            droppedMarkers = answer.DroppedMarkers, uncited = answer.Uncited, promptTokens = answer.PromptTokens,
            completionTokens = answer.CompletionTokens, stoppedRepeating = answer.StoppedRepeating, offlineAnswer = OfflineJson(answer),
        };

    /// <summary>The offline answer that follows a written one that cannot be checked: its text and citations.</summary>
    private static object? OfflineJson(Answer answer) => answer.OfflineAnswer is { } offline
        ? new { answer = offline.Text, notCovered = offline.NotCovered, citations = CitationsJson(offline) }
        : null;

    private static IEnumerable<object> CitationsJson(Answer answer) =>
        answer.Citations.Select(c => new { n = c.N, file = c.File, startLine = c.StartLine, endLine = c.EndLine, headingPath = c.HeadingPath, chunkId = c.ChunkId });

    /// <summary>The answer's text as it is (the terminal wraps it, and a copy-paste keeps its lines), then its sources.</summary>
    public static void Print(Answer answer)
    {
        Console.Out.WriteLine(answer.Text);
        PrintSources(answer);
    }

    /// <summary>
    /// Writes an answer as it is produced, then its sources; returns the whole answer. In a terminal a spinner turns until
    /// the first words, and the text is wrapped and styled (see <see cref="TerminalAnswerWriter"/>); piped, it is written
    /// as it comes.
    /// </summary>
    public static async Task<Answer> PrintAsync(IAsyncEnumerable<AnswerUpdate> updates)
    {
        Answer? final = null;
        var terminal = Output.Interactive ? new TerminalAnswerWriter(AnsiConsole.Console, AnsiConsole.Profile.Width) : null;
        var spinner = terminal is null ? null : Terminal.Spinner.Start();
        try
        {
            await foreach (var update in updates)
            {
                if ((update.Text.Length > 0 || update.Notice is not null) && spinner is not null)
                {
                    await spinner.DisposeAsync();
                    spinner = null;
                }
                AnswerNotes.Notice(update);
                if (terminal is not null) terminal.Write(update.Text);
                else
                {
                    await Console.Out.WriteAsync(update.Text);
                    await Console.Out.FlushAsync();
                }
                final = update.Final ?? final;
            }
        }
        finally
        {
            if (spinner is not null) await spinner.DisposeAsync();
            if (terminal is not null) terminal.Complete();
            else await Console.Out.WriteLineAsync();
        }
        if (final is null) throw new InvalidOperationException("the answerer ended without its answer");
        AnswerNotes.After(final);
        PrintSources(final);
        PrintOfflineAnswer(final);
        return final;
    }

    /// <summary>The sources of an answer, again (chat's /sources).</summary>
    public static void PrintSourcesOf(Answer answer)
    {
        if (answer.Citations.Count == 0) Console.Out.WriteLine("The last answer cites no sources.");
        else PrintSources(answer);
    }

    /// <summary>The notes' own answer under a written one that cannot be checked against them.</summary>
    private static void PrintOfflineAnswer(Answer answer)
    {
        if (answer.OfflineAnswer is not { } offline) return;
        Console.Out.WriteLine();
        if (Output.Interactive)
        {
            AnsiConsole.MarkupLine("[bold]From your notes[/]");
            var terminal = new TerminalAnswerWriter(AnsiConsole.Console, AnsiConsole.Profile.Width);
            terminal.Write(offline.Text);
            terminal.Complete();
        }
        else
        {
            Console.Out.WriteLine("From your notes");
            Console.Out.WriteLine(offline.Text);
        }
        PrintSources(offline);
    }

    private static void PrintSources(Answer answer)
    {
        if (answer.Citations.Count == 0) return;
        Console.Out.WriteLine();
        if (!Output.Interactive)
        {
            Console.Out.WriteLine("Sources");
            foreach (var c in answer.Citations) Console.Out.WriteLine($"  [{c.N}] {c.File}:{c.StartLine}-{c.EndLine} — {c.HeadingPath}");
            return;
        }
        var console = AnsiConsole.Console;
        console.MarkupLine("[bold]Sources[/]");
        foreach (var c in answer.Citations)
            console.MarkupLine($"  [[{c.N}]] [cyan]{Markup.Escape($"{c.File}:{c.StartLine}-{c.EndLine}")}[/] [grey]— {Markup.Escape(c.HeadingPath)}[/]");
    }
}
