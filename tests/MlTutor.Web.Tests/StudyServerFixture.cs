using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlTutor.Web.Tests;

/// <summary>
/// One <c>mltutor serve</c> for the tests of a collection, over a real index of a copy of the sample notes (corpus/)
/// with one hostile note added: markup that would run code if the page ever treated a note as HTML.
/// </summary>
public sealed partial class StudyServerFixture : IAsyncLifetime
{
    public const string HostileNote = "hostile.md";

    /// <summary>Each way a note could run code in the page sets window.pwned or the title.</summary>
    public const string HostileText = """
        # Quokka handling

        The quokka rule of the secret garden: <script>window.pwned = 1; document.title = "pwned";</script>
        An image of a quokka: <img src=x onerror="window.pwned = 2; document.title = 'pwned'">
        A quokka link: <a href="javascript:window.pwned=3">click</a>, [a quokka page](javascript:window.pwned=4), <svg onload="window.pwned=5"></svg>.
        """;

    public ServeProcess Server { get; private set; } = null!;
    public string Corpus { get; } = Paths.NewTempDir("mltutor-web-corpus");
    public string DataHome { get; } = Paths.NewTempDir("mltutor-web-data");
    public string Token { get; private set; } = "";
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        foreach (var note in Directory.EnumerateFiles(Path.Combine(Paths.RepoRoot, "corpus")))
            File.Copy(note, Path.Combine(Corpus, Path.GetFileName(note)));
        await File.WriteAllTextAsync(Path.Combine(Corpus, HostileNote), HostileText + "\n");
        Server = await ServeProcess.StartAsync(Corpus, DataHome);
        Http = new HttpClient { BaseAddress = Server.Url, Timeout = TimeSpan.FromMinutes(2) };
        var page = await Http.GetStringAsync("/");
        Token = TokenMeta().Match(page).Groups[1].Value;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Corpus, recursive: true);
        Directory.Delete(DataHome, recursive: true);
    }

    /// <summary>POST /api/ask with the page's token; the events as they came: (name, data).</summary>
    public Task<(HttpResponseMessage Response, List<(string Name, JsonElement Data)> Events)> AskAsync(object body) => PostEventsAsync("/api/ask", body);

    /// <summary>POST /api/reindex with the page's token; the events as they came: (name, data).</summary>
    public Task<(HttpResponseMessage Response, List<(string Name, JsonElement Data)> Events)> ReindexAsync(object? body = null) =>
        PostEventsAsync("/api/reindex", body);

    /// <summary>A POST of <paramref name="body"/> as it is (JSON or not), with the page's token.</summary>
    public async Task<HttpResponseMessage> PostRawAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-MlTutor-Token", Token);
        return await Http.SendAsync(request);
    }

    /// <summary>A POST with the page's token whose answer is server-sent events; the events as they came: (name, data).</summary>
    public async Task<(HttpResponseMessage Response, List<(string Name, JsonElement Data)> Events)> PostEventsAsync(string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-MlTutor-Token", Token);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<(string, JsonElement)>();
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream") return (response, events);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ")) name = line[7..];
            else if (line.StartsWith("data: ")) events.Add((name ?? "message", JsonDocument.Parse(line[6..]).RootElement.Clone()));
        }
        return (response, events);
    }

    /// <summary>The console command over the same notes and index (the server's data folder); what it printed.</summary>
    public string RunConsole(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServeProcess.Program);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["MLTUTOR_HOME"] = Paths.RepoRoot;
        start.Environment["XDG_DATA_HOME"] = DataHome;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"mltutor {string.Join(' ', args)}: exit {process.ExitCode}\n{stderr.Result}");
        return stdout;
    }

    [GeneratedRegex("""<meta name="mltutor-token" content="([^"]+)">""")]
    private static partial Regex TokenMeta();
}

[CollectionDefinition(Name)]
public sealed class StudyServerCollection : ICollectionFixture<StudyServerFixture>
{
    public const string Name = "study server";
}
