using System.Text.Json;
using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary>One real llama.cpp server for the tests of the class, on the shared GGUF model.</summary>
public sealed class LlamaServerFixture : IDisposable
{
    private readonly Lazy<LlamaServer> _server = new(LlamaServer.Start);

    /// <summary>The running server; the first test to ask starts it (or is skipped when the shared folder lacks it).</summary>
    public LlamaServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated) _server.Value.Dispose();
    }
}

/// <summary><c>ask --llm openai</c> and <c>llm-check</c> against llama.cpp's own server (../shared/tools/llama-server) serving
/// the shared GGUF model, started and stopped here; a few dozen tokens per answer.</summary>
public sealed class LlamaServerCliTests(LlamaServerFixture fixture) : IClassFixture<LlamaServerFixture>
{
    private Dictionary<string, string> Settings => new()
    {
        ["MLTUTOR__Answering__Endpoint"] = fixture.Server.Endpoint.ToString(),
        ["MLTUTOR__Answering__Model"] = "smollm2",
        ["MLTUTOR__Answering__MaxTokens"] = "40",
        ["MLTUTOR__Answering__Temperature"] = "0",
        // A busy two-core machine may take a while over the prompt; the default is for a person waiting.
        ["MLTUTOR__Answering__FirstTokenTimeoutSeconds"] = "90",
    };

    [SkippableFact]
    public void Ask_with_llm_openai_writes_an_answer_and_json_carries_the_new_fields()
    {
        var streamed = CliRunner.Run(["ask", "--llm", "openai", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], Settings);
        var json = CliRunner.Run(["ask", "--json", "--llm", "openai", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], Settings);

        Assert.True(streamed.ExitCode == 0, streamed.ToString());
        Assert.DoesNotContain("answering offline", streamed.Stderr);
        Assert.True(streamed.Stdout.Trim().Length > 20, streamed.ToString());

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.DoesNotContain("answering offline", json.Stderr);
        var answer = json.Json();
        Assert.Equal(["question", "answer", "notCovered", "citations", "droppedMarkers", "uncited", "promptTokens", "completionTokens", "stoppedRepeating", "offlineAnswer"],
            answer.EnumerateObject().Select(p => p.Name));
        Assert.NotEmpty(answer.GetProperty("answer").GetString()!);
        Assert.True(answer.GetProperty("promptTokens").GetInt32() > 100);
        var cited = answer.GetProperty("citations").GetArrayLength();
        Assert.Equal(cited == 0 && !answer.GetProperty("notCovered").GetBoolean(), answer.GetProperty("uncited").GetBoolean());
        Assert.All(answer.GetProperty("droppedMarkers").EnumerateArray(), m => Assert.True(m.GetInt32() is < 1 or > 5));
    }

    [SkippableFact]
    public void Llm_check_json_reports_the_served_model_and_its_speed()
    {
        var result = CliRunner.Run(["llm-check", "--json"], Settings);

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json();
        Assert.Equal("openai", report.GetProperty("provider").GetString());
        Assert.Contains("SmolLM2-135M-Instruct", report.GetProperty("model").GetString());
        Assert.True(report.GetProperty("firstTokenSeconds").GetDouble() > 0);
        Assert.True(report.GetProperty("generationTokensPerSecond").GetDouble() > 0);
    }

    [SkippableFact]
    public void Grade_with_llm_openai_adds_the_served_model_grade()
    {
        var batch = Path.Combine(CliRunner.NewTempDir(), "answers.jsonl");
        File.WriteAllText(batch, """{"id":"adam","question":"What does Adam add to RMSprop?","answer":"Adam adds momentum: a running mean of the gradients, besides RMSprop's running mean of their squares."}""" + "\n");

        var result = CliRunner.Run(["grade", "--batch", batch, "--json", "--llm", "openai", "--index", CliRunner.SampleIndex], Settings);

        Assert.True(result.ExitCode == 0, result.ToString());
        var graded = result.Json();
        Assert.Equal(JsonValueKind.Null, graded.GetProperty("modelError").ValueKind);
        var byModel = graded.GetProperty("byModel");
        Assert.Equal("openai", byModel.GetProperty("provider").GetString());
        Assert.False(string.IsNullOrWhiteSpace(byModel.GetProperty("feedback").GetString()), result.ToString());
        if (byModel.GetProperty("score").ValueKind == JsonValueKind.Number)
            Assert.InRange(byModel.GetProperty("score").GetDouble(), 0, 1);
    }
}
