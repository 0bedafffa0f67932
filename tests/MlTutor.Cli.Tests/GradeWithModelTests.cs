using System.Text.Json;
using MlTutor.Tests.Answering;

namespace MlTutor.Cli.Tests;

/// <summary><c>mltutor grade --llm</c>: the language model grades each answer against the notes' key points beside the offline
/// grade, which it never changes; a model that fails leaves the offline grade and says why. A real HTTP server on 127.0.0.1,
/// the real mltutor process, the sample notes.</summary>
public sealed class GradeWithModelTests
{
    private static Dictionary<string, string> Settings(Uri endpoint) => new()
    {
        ["MLTUTOR__Answering__Endpoint"] = endpoint.ToString(),
        ["MLTUTOR__Answering__Model"] = "tutor-model",
        ["MLTUTOR__Answering__MaxRetries"] = "0",
        ["MLTUTOR__Answering__FirstTokenTimeoutSeconds"] = "15",
    };

    private static string Batch()
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "answers.jsonl");
        File.WriteAllLines(file,
        [
            """{"id":"dropout","question":"How does dropout prevent overfitting?","answer":"Dropout switches off random units while the network trains, so no unit can rely on another one."}""",
            """{"id":"adam","question":"What does Adam add to RMSprop?","answer":"I think it adds a bigger learning rate."}""",
        ]);
        return file;
    }

    private static List<JsonElement> Lines(CliResult result) =>
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public async Task Each_answer_carries_the_model_grade_beside_an_unchanged_offline_grade()
    {
        await using var server = OpenAiCompatibleServer.Answering("Covered: 1\nMissed: 2\nScore: 4/10\nFeedback: You named the mechanism. Say what happens at test time.");
        var batch = Batch();

        var offline = CliRunner.Run(["grade", "--batch", batch, "--json", "--index", CliRunner.SampleIndex], Settings(server.Endpoint));
        var withModel = CliRunner.Run(["grade", "--batch", batch, "--json", "--llm", "openai", "--index", CliRunner.SampleIndex], Settings(server.Endpoint));

        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.True(withModel.ExitCode == 0, withModel.ToString());
        Assert.Equal(2, server.Requests.Count); // only the run with --llm asked the model, once per answer
        foreach (var (plain, graded) in Lines(offline).Zip(Lines(withModel)))
        {
            Assert.Equal(plain.GetProperty("score").GetDouble(), graded.GetProperty("score").GetDouble());
            Assert.Equal(plain.GetProperty("verdict").GetString(), graded.GetProperty("verdict").GetString());
            Assert.False(plain.TryGetProperty("byModel", out _)); // without a model, the offline contract alone
            var byModel = graded.GetProperty("byModel");
            Assert.Equal("openai", byModel.GetProperty("provider").GetString());
            Assert.Equal(0.4, byModel.GetProperty("score").GetDouble(), 6);
            Assert.True(byModel.GetProperty("readable").GetBoolean());
            Assert.Equal("You named the mechanism. Say what happens at test time.", byModel.GetProperty("feedback").GetString());
            var covered = Assert.Single(byModel.GetProperty("covered").EnumerateArray().ToList());
            Assert.EndsWith(".md", covered.GetProperty("file").GetString());
            Assert.True(covered.GetProperty("startLine").GetInt32() > 0);
            Assert.Equal(JsonValueKind.Null, graded.GetProperty("modelError").ValueKind);
        }
        Assert.DoesNotContain("mltutor:", withModel.Stderr);
    }

    [Fact]
    public async Task A_failing_model_leaves_the_offline_grade_and_says_why()
    {
        await using var server = new OpenAiCompatibleServer((_, _) =>
            new OpenAiCompatibleServer.Reply(500, OpenAiCompatibleServer.Error("CUDA out of memory", "server_error")));

        var result = CliRunner.Run(["grade", "--batch", Batch(), "--json", "--llm", "openai", "--index", CliRunner.SampleIndex], Settings(server.Endpoint));

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result);
        Assert.Equal(["dropout", "adam"], lines.Select(l => l.GetProperty("id").GetString()));
        Assert.All(lines, l =>
        {
            Assert.Equal(JsonValueKind.Null, l.GetProperty("byModel").ValueKind);
            Assert.Contains("CUDA out of memory", l.GetProperty("modelError").GetString());
            Assert.InRange(l.GetProperty("score").GetDouble(), 0, 1);
        });
        var notes = result.Stderr.Split('\n').Where(l => l.StartsWith("mltutor:")).ToList();
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("mltutor: dropout: the language model gave no grade (", notes[0]);
        Assert.EndsWith("; the offline grade stands", notes[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
