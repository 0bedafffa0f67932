using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MlTutor.Web.Tests;

/// <summary>The study page's API over HTTP, on a real server and index: what each call answers, and what it refuses.</summary>
[Collection(StudyServerCollection.Name)]
public sealed class StudyApiTests(StudyServerFixture study)
{
    private HttpClient Http => study.Http;

    [Fact]
    public void Serve_prints_one_line_when_ready()
    {
        Assert.Equal($"Serving {study.Server.Url}", study.Server.Stdout.Trim());
    }

    [Fact]
    public async Task Ask_streams_the_answer_as_tokens_then_the_ask_json_object()
    {
        var (response, events) = await study.AskAsync(new { question = "What does Adam add to RMSprop?" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var names = events.Select(e => e.Name).ToList();
        Assert.Equal("answer", names[^1]);
        Assert.Single(names, n => n == "answer");
        Assert.Contains("token", names[..^1]);
        var answer = events[^1].Data;
        Assert.Equal("What does Adam add to RMSprop?", answer.GetProperty("question").GetString());
        Assert.False(answer.GetProperty("notCovered").GetBoolean());
        // The tokens are the answer's text, as it was written.
        Assert.Equal(answer.GetProperty("answer").GetString(), string.Concat(events.Where(e => e.Name == "token").Select(e => e.Data.GetProperty("text").GetString())));
        var citation = answer.GetProperty("citations")[0];
        Assert.Equal("optimizers.md", citation.GetProperty("file").GetString());
        foreach (var field in new[] { "n", "startLine", "endLine", "headingPath", "chunkId" }) Assert.True(citation.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task A_follow_up_is_read_with_the_history_and_the_mode_is_the_interviewers()
    {
        var (_, events) = await study.AskAsync(new
        {
            question = "what rate is usually used for it?", history = new[] { "How does dropout prevent overfitting?" }, mode = "interviewer",
        });

        var answer = events.Single(e => e.Name == "answer").Data;
        Assert.Contains(answer.GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "regularization.md");
    }

    [Fact]
    public async Task A_question_longer_than_the_console_takes_is_cut_with_a_warning()
    {
        var (_, events) = await study.AskAsync(new { question = "What is dropout? " + new string('x', 3000) });

        Assert.Contains("only its first 2,000 are read", events.First(e => e.Name == "warning").Data.GetProperty("warning").GetString());
        Assert.Equal("answer", events[^1].Name);
    }

    [Theory]
    [InlineData("""{"history": []}""", "\"question\" is missing")]
    [InlineData("""{"question": "  "}""", "the question is empty")]
    [InlineData("""{"question": "What is dropout?", "mode": "oracle"}""", "\"mode\"")]
    [InlineData("""{"question": "What is dropout?", "k": 0}""", "\"k\"")]
    [InlineData("""not json""", "the body is not JSON")]
    public async Task A_bad_question_is_a_400_with_one_line(string body, string expected)
    {
        using var response = await study.PostRawAsync("/api/ask", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await ErrorOf(response));
    }

    [Fact]
    public async Task Search_answers_what_search_json_prints()
    {
        var served = await Http.GetStringAsync("/api/search?q=" + Uri.EscapeDataString("L1 vs L2") + "&k=3");

        var console = RunConsole("search", "--corpus", study.Corpus, "--json", "--k", "3", "L1 vs L2");
        Assert.Equal(Normalised(console), Normalised(served));
    }

    [Fact]
    public async Task Cite_gives_the_lines_with_their_context_as_cite_json_does()
    {
        var served = await Http.GetStringAsync("/api/cite?ref=optimizers.md:9-9&context=2");

        Assert.Equal(Normalised(RunConsole("cite", "--corpus", study.Corpus, "--json", "--context", "2", "optimizers.md:9-9")), Normalised(served));
        var cited = JsonDocument.Parse(served).RootElement;
        Assert.StartsWith("Gradient descent updates every weight", cited.GetProperty("lines")[0].GetString());
        Assert.Equal(7, cited.GetProperty("context").GetProperty("before")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Status_and_notes_list_every_note_and_a_note_is_served_as_data()
    {
        var status = await Http.GetFromJsonAsync<JsonElement>("/api/status");
        Assert.True(status.GetProperty("upToDate").GetBoolean());
        var notes = await Http.GetFromJsonAsync<JsonElement>("/api/notes");
        Assert.Contains(notes.GetProperty("notes").EnumerateArray(), n => n.GetProperty("file").GetString() == StudyServerFixture.HostileNote);

        using var response = await Http.GetAsync($"/api/notes/{StudyServerFixture.HostileNote}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(StudyServerFixture.HostileText.Split('\n'), lines);
    }

    [Theory]
    [InlineData("/api/cite?ref=../secret.md:1-2", "outside the corpus folder")]
    [InlineData("/api/cite?ref=%2Fetc%2Fpasswd:1-2", "absolute path")]
    [InlineData("/api/notes/..%2F..%2Fetc%2Fpasswd", "not in the corpus folder")]
    [InlineData("/api/notes/%2Fetc%2Fpasswd", "not in the corpus folder")]
    [InlineData("/api/cite?ref=optimizers.md", "is not a citation")]
    public async Task Anything_outside_the_notes_or_not_a_citation_is_a_400(string path, string expected)
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(study.Corpus)!, "secret.md"), "not a note of these notes\nat all\n");
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await ErrorOf(response));
    }

    [Fact]
    public async Task A_line_past_the_notes_end_is_a_409_that_says_the_note_changed()
    {
        using var response = await Http.GetAsync("/api/cite?ref=optimizers.md:9000-9001");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("line 9000 does not exist (was the note edited since it was indexed?)", await ErrorOf(response));
    }

    [Fact]
    public async Task A_request_addressed_to_another_host_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Host = $"rebound.example:{study.Server.Url.Port}";
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("rebound.example", await ErrorOf(response));
    }

    [Theory]
    [InlineData("/api/ask", null)]
    [InlineData("/api/ask", "a-guessed-token")]
    [InlineData("/api/reindex", null)]
    [InlineData("/api/interview/answer", null)]
    [InlineData("/api/interview/answer", "a-guessed-token")]
    public async Task A_call_that_changes_something_needs_the_pages_token(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { question = "What is dropout?" }) };
        if (token is not null) request.Headers.Add("X-MlTutor-Token", token);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("X-MlTutor-Token", await ErrorOf(response));
    }

    [Fact]
    public async Task Reindex_with_the_token_streams_its_progress_then_the_index_report()
    {
        var (response, events) = await study.ReindexAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("report", events[^1].Name);
        Assert.Equal("Reading notes", events[0].Data.GetProperty("stage").GetString());
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Name));
        var report = events[^1].Data;
        Assert.Equal(6, report.GetProperty("files").GetInt32());
        Assert.True(report.GetProperty("upToDate").GetBoolean());
    }

    [Fact]
    public async Task While_a_rebuild_runs_questions_are_answered_and_another_reindex_is_a_409()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reindex") { Content = JsonContent.Create(new { rebuild = true }) };
        request.Headers.Add("X-MlTutor-Token", study.Token);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        // Into the embedding: every note is embedded again, the index in use still answers.
        while (await events.ReadLineAsync() is { } line && !line.Contains("\"stage\":\"Embedding\""))
        {
        }

        var (busy, _) = await study.ReindexAsync();
        var (_, answer) = await study.AskAsync(new { question = "What does Adam add to RMSprop?" });
        var rest = await events.ReadToEndAsync();

        Assert.Equal("answer", answer[^1].Name);
        Assert.Equal("optimizers.md", answer[^1].Data.GetProperty("citations")[0].GetProperty("file").GetString());
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("being updated already", await ErrorOf(busy));
        // The rebuild went on to its end meanwhile: every note embedded again.
        var report = JsonDocument.Parse(rest[(rest.IndexOf("event: report\ndata: ") + 20)..].Split('\n')[0]).RootElement;
        Assert.Equal(6, report.GetProperty("changedFiles").GetInt32());
        Assert.Equal(0, report.GetProperty("reused").GetInt32());
    }

    [Theory]
    [InlineData("""{"rebuild": "yes"}""", "\"rebuild\" is true or false")]
    [InlineData("""[true]""", "must be a JSON object")]
    [InlineData("""rebuild""", "the body is not JSON")]
    public async Task A_bad_reindex_body_is_a_400(string body, string expected)
    {
        using var response = await study.PostRawAsync("/api/reindex", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await ErrorOf(response));
    }

    [Fact]
    public async Task The_page_carries_a_token_and_a_policy_without_inline_script()
    {
        using var response = await Http.GetAsync("/");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Matches("^[A-Za-z0-9_-]{40,}$", study.Token);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline'; font", policy.Replace("style-src-attr 'unsafe-inline'; ", ""));
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        // The libraries are served by the app itself.
        foreach (var file in new[] { "lib/katex.min.js", "lib/katex.min.css", "lib/markdown-it.umd.min.js", "lib/purify.min.js", "lib/fonts/KaTeX_Main-Regular.woff2" })
            Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(file)).StatusCode);
    }

    [Fact]
    public async Task An_unknown_call_is_a_json_404()
    {
        using var response = await Http.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no such call", await ErrorOf(response));
    }

    internal static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", body);
        return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
    }

    internal static string Normalised(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);

    private string RunConsole(params string[] args) => study.RunConsole(args);
}
