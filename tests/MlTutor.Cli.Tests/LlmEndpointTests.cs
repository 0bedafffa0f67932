using MlTutor.Tests.Answering;
using Reply = MlTutor.Tests.Answering.OpenAiCompatibleServer.Reply;

namespace MlTutor.Cli.Tests;

/// <summary>The console over a language model endpoint that streams, fails and recovers: a real HTTP server on 127.0.0.1,
/// the real mltutor process.</summary>
public sealed class LlmEndpointTests
{
    private static Dictionary<string, string> Settings(Uri endpoint, string retries = "0") => new()
    {
        ["MLTUTOR__Answering__Endpoint"] = endpoint.ToString(),
        ["MLTUTOR__Answering__Model"] = "tutor-model",
        ["MLTUTOR__Answering__MaxRetries"] = retries,
        ["MLTUTOR__Answering__RetryDelaySeconds"] = "0.05",
        // Generous: a loaded machine can take seconds to start the request; no test here is about the time-out.
        ["MLTUTOR__Answering__FirstTokenTimeoutSeconds"] = "15",
    };

    private static bool IsRewrite(OpenAiCompatibleServer.Received request) => request.Body.Contains("Last question:");

    private static string LastQuestion(OpenAiCompatibleServer.Received request)
    {
        var prompt = request.Json.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()!;
        return prompt[(prompt.LastIndexOf("Last question: ", StringComparison.Ordinal) + "Last question: ".Length)..].Split('\n')[0];
    }

    private static IEnumerable<string> Notes(CliResult result) => result.Stderr.Split('\n').Where(l => l.StartsWith("mltutor:"));

    [Fact]
    public async Task Chat_goes_on_through_a_failing_endpoint_a_cut_stream_and_an_invented_marker()
    {
        // Each question after the first is first sent to be rewritten as a standalone question: the model gives it back
        // as asked (each stands alone). The answers are numbered apart from those requests.
        var answers = 0;
        await using var server = new OpenAiCompatibleServer((_, request) => IsRewrite(request)
            ? OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces(LastQuestion(request)))
            : Interlocked.Increment(ref answers) switch
        {
            1 => new Reply(500, OpenAiCompatibleServer.Error("CUDA out of memory", "server_error")),
            2 => new Reply(200, "")
            {
                Events = [OpenAiCompatibleServer.Chunk("Dropout switches off"), OpenAiCompatibleServer.Chunk(" random units [1]")],
                ContentType = "text/event-stream",
                Cut = true,
            },
            _ => OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces("Early stopping halts training when validation loss stops improving [1][12].")),
        });
        var result = CliRunner.Run(["chat", "--llm", "openai", "--index", CliRunner.SampleIndex],
            Settings(server.Endpoint), stdin: "What does Adam add to RMSprop?\nWhat does dropout do?\nWhat is early stopping?\n/quit\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, server.Requests.Count(r => !IsRewrite(r)));
        Assert.Equal(2, server.Requests.Count(IsRewrite));
        Assert.Null(server.Requests.First().Authorization); // no key is set: no Authorization header at all
        var notes = Notes(result).ToList();
        Assert.True(notes.Count == 3, result.ToString());
        Assert.StartsWith($"mltutor: the endpoint {server.Endpoint.ToString().TrimEnd('/')} failed (HTTP 500: CUDA out of memory)", notes[0]);
        Assert.EndsWith("; answering offline from the notes instead", notes[0]);
        Assert.StartsWith($"mltutor: the answer was cut: the connection to {server.Endpoint.ToString().TrimEnd('/')} broke off (", notes[1]);
        Assert.Equal("mltutor: removed the citation [12]: it named no passage the model was given", notes[2]);
        Assert.Matches(@"optimizers\.md:\d+-\d+", result.Stdout); // the offline answer to the first question, with its sources
        Assert.Contains("Dropout switches off random units [1]", result.Stdout);
        Assert.Contains("Early stopping halts training when validation loss stops improving [1].", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Ask_streams_the_answer_and_says_when_it_reached_the_token_limit()
    {
        await using var server = new OpenAiCompatibleServer((_, _) =>
            OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces("Adam keeps a running mean of the gradients [1] and"), finishReason: "length"));
        var settings = Settings(server.Endpoint);
        settings["MLTUTOR__Answering__MaxTokens"] = "12";
        var result = CliRunner.Run(["ask", "--llm", "openai", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], settings);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("Adam keeps a running mean of the gradients [1] and\n", result.Stdout);
        Assert.Equal(12, Assert.Single(server.Requests).Json.GetProperty("max_tokens").GetInt32());
        Assert.Equal("mltutor: the answer was cut: it reached the limit of 12 tokens (Answering:MaxTokens)", Assert.Single(Notes(result)));
    }

    [Fact]
    public async Task Ask_json_flags_an_uncited_answer_and_an_offline_one_carries_the_new_fields_too()
    {
        await using var server = OpenAiCompatibleServer.Answering("Adam is an optimizer.");
        var written = CliRunner.Run(["ask", "--json", "--llm", "openai", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], Settings(server.Endpoint));
        var offline = CliRunner.Run(["ask", "--json", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"]);

        Assert.True(written.ExitCode == 0, written.ToString());
        var json = written.Json();
        Assert.True(json.GetProperty("uncited").GetBoolean());
        Assert.Empty(json.GetProperty("citations").EnumerateArray());
        Assert.Empty(json.GetProperty("droppedMarkers").EnumerateArray());
        Assert.Contains("mltutor: this answer cites no passage of your notes", Assert.Single(Notes(written)));

        Assert.True(offline.ExitCode == 0, offline.ToString());
        var plain = offline.Json();
        Assert.Equal(["question", "answer", "notCovered", "citations", "droppedMarkers", "uncited", "promptTokens", "completionTokens", "stoppedRepeating", "offlineAnswer"],
            plain.EnumerateObject().Select(p => p.Name));
        Assert.Empty(plain.GetProperty("droppedMarkers").EnumerateArray());
        Assert.False(plain.GetProperty("uncited").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plain.GetProperty("promptTokens").ValueKind);
    }

    [Fact]
    public async Task Llm_check_json_says_which_model_answers_and_how_fast()
    {
        await using var server = new OpenAiCompatibleServer((_, _) =>
            OpenAiCompatibleServer.Stream(["The learning", " rate sets", " the step", " size."], pause: TimeSpan.FromMilliseconds(200)));
        var result = CliRunner.Run(["llm-check", "--json"], Settings(server.Endpoint));

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(["provider", "model", "contextSize", "loadSeconds", "firstTokenSeconds", "promptTokensPerSecond", "generationTokensPerSecond"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("openai", "tutor-model"), (json.GetProperty("provider").GetString(), json.GetProperty("model").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("contextSize").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("loadSeconds").ValueKind);
        Assert.InRange(json.GetProperty("firstTokenSeconds").GetDouble(), 0.0001, 5);
        Assert.True(json.GetProperty("promptTokensPerSecond").GetDouble() > 0);
        // Four pieces 200 ms apart: three tokens after the first take 600 ms, 5 a second. A busy machine may see the first
        // piece late and so the others closer to it (by up to 450 ms before this bound is passed), or all of them later:
        // no lower bound but zero.
        var generation = json.GetProperty("generationTokensPerSecond").GetDouble();
        Assert.True(generation is > 0 and <= 20.5, $"{generation} tokens/s");
        var request = Assert.Single(server.Requests);
        Assert.Equal(24, request.Json.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void Llm_check_of_an_endpoint_that_is_down_is_one_line()
    {
        var port = OpenAiCompatibleServer.FreePort();
        var result = CliRunner.Run(["llm-check"], Settings(new Uri($"http://127.0.0.1:{port}/v1")));

        var line = UserErrors.AssertOneLine(result);
        Assert.Equal($"mltutor: the endpoint http://127.0.0.1:{port}/v1 refused the connection: is the server running? check Answering:Endpoint", line);
    }
}
