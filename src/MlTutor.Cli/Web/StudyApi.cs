using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MlTutor.Cli.Commands;
using MlTutor.Indexing;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Web;

/// <summary>
/// The API the study page uses; each call answers with what the matching command prints with --json (the same
/// renderers), and every call is one call on the tutor.
/// </summary>
public sealed class StudyApi(Tutor tutor, IndexUpdates updates, CancellationToken stopping)
{
    /// <summary>The most lines of context /api/cite shows around a citation.</summary>
    private const int MaxContext = 200;

    public void Map(WebApplication app)
    {
        app.MapPost("/api/ask", AskAsync);
        app.MapGet("/api/search", Search);
        app.MapGet("/api/cite", Cite);
        app.MapGet("/api/notes", Notes);
        app.MapGet("/api/notes/{**file}", Note);
        app.MapGet("/api/status", () => Json(StatusCommand.Json(tutor.ReadIndexStatus(), tutor.CorpusDirectory)));
        app.MapPost("/api/reindex", ReindexAsync);
        new InterviewApi(tutor, updates).Map(app);
        app.Map("/api/{**rest}", (string rest) => Json(new { error = $"no such call: /api/{rest}" }, 404));
    }

    /// <summary>
    /// POST /api/ask: server-sent events: "warning"s (a question cut to its length, an index that could not be updated),
    /// "token"s of the answer as it is written ({"text"}), then one "answer", the ask --json object; a failure once the
    /// stream has begun is an "error" event ({"error"}).
    /// </summary>
    private async Task AskAsync(HttpContext http)
    {
        var request = AskRequest.Parse(await RequestBody.ReadAsync(http));
        var maxChars = tutor.Settings.Retrieval.MaxQuestionChars;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var events = new ServerSentEvents(http.Response);
        await events.StartAsync(cancel.Token);
        try
        {
            if (request.Question.Length > maxChars)
                await events.SendAsync("warning", new { warning = QuestionText.CutWarning(request.Question.Length, maxChars) }, cancel.Token);
            if (updates.BeforeQuestion() is { } warning) await events.SendAsync("warning", new { warning }, cancel.Token);
            var options = new QuestionOptions { History = request.History, Style = request.Style, K = request.K };
            await foreach (var update in tutor.AskStreamingAsync(request.Question, options, cancel.Token))
            {
                if (update.Text.Length > 0) await events.SendAsync("token", new { text = update.Text }, cancel.Token);
                if (update.Final is { } answer) await events.SendAsync("answer", AnswerRendering.Json(answer), cancel.Token);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await events.SendAsync("error", new { error = ApiErrors.Describe(e).Message }, CancellationToken.None);
        }
    }

    private IResult Search(string? q, string? k)
    {
        if (string.IsNullOrWhiteSpace(q)) throw new ApiError(400, "give the question as ?q=…");
        var max = TutorSettings.RetrievalSettings.MaxK;
        int? passages = k is null ? null
            : int.TryParse(k, out var n) && n >= 1 && n <= max ? n : throw new ApiError(400, $"k is a whole number from 1 to {max}");
        var question = QuestionText.Cut(QuestionText.WellFormed(q), tutor.Settings.Retrieval.MaxQuestionChars);
        return Json(SearchCommand.Json("", tutor.Retrieve(question, new QuestionOptions { K = passages })));
    }

    private IResult Cite(string? @ref, string? context)
    {
        if (string.IsNullOrWhiteSpace(@ref)) throw new ApiError(400, "give the citation as ?ref=FILE:START-END");
        var pad = context is null ? 0
            : int.TryParse(context, out var n) && n >= 0 && n <= MaxContext ? n : throw new ApiError(400, $"context is a whole number from 0 to {MaxContext}");
        var reference = CitationReference.Parse(@ref);
        RequireInsideNotes(reference.File);
        return Json(CitationRendering.Json(tutor.Cite(reference, pad), withContext: pad > 0));
    }

    /// <summary>GET /api/notes: the notes and their state, as status --json lists them.</summary>
    private IResult Notes()
    {
        var status = tutor.ReadIndexStatus();
        return Json(new { corpus = tutor.CorpusDirectory, notes = status.Notes.Select(n => new { n.File, state = n.State.ToString().ToLowerInvariant(), n.Chunks, n.Reason }) });
    }

    /// <summary>GET /api/notes/FILE: every line of a note, read as a citation of it is ({"file", "lines"}).</summary>
    private IResult Note(string file)
    {
        RequireInsideNotes(file);
        // The first line with all the rest as its context: the tutor reads the note whole, with the rules of cite.
        var whole = tutor.Cite(new CitationReference(file, 1, 1), int.MaxValue);
        return Json(new { file = whole.File, lines = whole.Lines.Concat(whole.After.Select(l => l.Text)) });
    }

    /// <summary>
    /// POST /api/reindex {"rebuild"?}: server-sent events: "progress" ({"stage", "done", "total"}) as the update goes, then
    /// one "report", the index --json object; a failure once the stream has begun is an "error" event ({"error"}). 409
    /// while another update runs.
    /// </summary>
    private async Task ReindexAsync(HttpContext http)
    {
        var rebuild = ReadRebuild(await RequestBody.ReadAsync(http, optional: true));
        var progress = Channel.CreateUnbounded<IndexProgress>(new UnboundedChannelOptions { SingleReader = true });
        var update = updates.TryStart(rebuild, new InlineProgress<IndexProgress>(p => progress.Writer.TryWrite(p)), stopping)
            ?? throw new ApiError(409, "the index is being updated already: wait for it to finish");
        _ = update.ContinueWith(_ => progress.Writer.TryComplete(), TaskScheduler.Default);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var events = new ServerSentEvents(http.Response);
        await events.StartAsync(cancel.Token);
        try
        {
            var steps = new ProgressSteps();
            await foreach (var step in progress.Reader.ReadAllAsync(cancel.Token))
                if (steps.IsNew(step)) await events.SendAsync("progress", new { step.Stage, step.Done, step.Total }, cancel.Token);
            await events.SendAsync("report", IndexCommand.Json(await update, tutor), cancel.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await events.SendAsync("error", new { error = ApiErrors.Describe(e).Message }, CancellationToken.None);
        }
    }

    private static bool ReadRebuild(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ApiError(400, "the body must be a JSON object: {\"rebuild\": true} or nothing");
        if (!body.TryGetProperty("rebuild", out var value) || value.ValueKind == JsonValueKind.Null) return false;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new ApiError(400, "\"rebuild\" is true or false");
    }

    /// <summary>A note is named relative to the notes folder; the tutor refuses one outside it (../), and an absolute
    /// path is refused here even when it lies inside, so that a page never learns where the notes are kept.</summary>
    private static void RequireInsideNotes(string file)
    {
        if (Path.IsPathRooted(file) || file.StartsWith('~'))
            throw new ApiError(400, $"'{file}' is an absolute path: name a note relative to the notes folder, e.g. optimizers.md");
    }

    public static IResult Json(object value, int status = 200) => Results.Json(value, Output.Json, statusCode: status);
}
