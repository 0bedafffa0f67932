using MlTutor.Answering;
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

    /// <summary>Writes an answer as it is produced, then its sources; returns the whole answer.</summary>
    public static async Task<Answer> PrintAsync(IAsyncEnumerable<AnswerUpdate> updates)
    {
        Answer? final = null;
        await foreach (var update in updates)
        {
            AnswerNotes.Notice(update);
            await Console.Out.WriteAsync(update.Text);
            await Console.Out.FlushAsync();
            final = update.Final ?? final;
        }
        await Console.Out.WriteLineAsync();
        if (final is null) throw new InvalidOperationException("the answerer ended without its answer");
        AnswerNotes.After(final);
        PrintSources(final);
        PrintOfflineAnswer(final);
        return final;
    }

    /// <summary>The notes' own answer under a written one that cannot be checked against them.</summary>
    private static void PrintOfflineAnswer(Answer answer)
    {
        if (answer.OfflineAnswer is not { } offline) return;
        Console.Out.WriteLine();
        if (Output.Interactive) AnsiConsole.MarkupLine("[bold]From your notes[/]");
        else Console.Out.WriteLine("From your notes");
        Console.Out.WriteLine(offline.Text);
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
