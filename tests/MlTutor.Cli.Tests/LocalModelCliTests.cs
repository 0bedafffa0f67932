using MlTutor.Tests;
using System.Text.Json;

namespace MlTutor.Cli.Tests;

/// <summary><c>--llm local</c> from the command line, on the shared GGUF, with generation kept short.</summary>
public class LocalModelCliTests
{
    private static Dictionary<string, string> Settings(string modelPath) => new()
    {
        ["MLTUTOR__Answering__Local__ModelPath"] = modelPath,
        ["MLTUTOR__Answering__MaxTokens"] = "40",
        ["MLTUTOR__Answering__Local__ContextSize"] = "2048",
        // These tests check what is written, not how fast: a machine busy with other builds reads the prompt slowly.
        ["MLTUTOR__Answering__FirstTokenTimeoutSeconds"] = "300",
    };

    [Fact]
    public void Ask_with_the_local_model_gives_the_answer_json_with_its_checks()
    {
        var model = SharedFolder.Require("models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf");
        var result = CliRunner.Run(["ask", "--json", "--llm", "local", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], Settings(model));

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.NotEmpty(json.GetProperty("answer").GetString()!);
        Assert.True(json.GetProperty("promptTokens").GetInt32() > 100);
        Assert.InRange(json.GetProperty("completionTokens").GetInt32(), 1, 40);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("droppedMarkers").ValueKind);
        var uncited = json.GetProperty("uncited").GetBoolean();
        var stopped = json.GetProperty("stoppedRepeating").GetBoolean();
        // Whatever the small model wrote, an answer that cannot be checked is followed by the notes' own.
        Assert.Equal(uncited || stopped, json.GetProperty("offlineAnswer").ValueKind == JsonValueKind.Object);
        Assert.DoesNotContain("llama", result.Stderr); // llama.cpp's loading chatter stays out of the user's way
    }

    [Fact]
    public void A_model_file_that_is_not_a_model_is_one_line_then_the_offline_answer()
    {
        var notAModel = Path.Combine(CliRunner.NewTempDir(), "model.gguf");
        File.WriteAllText(notAModel, "<html><body>404: the download went wrong, this is not a model</body></html>");

        var result = CliRunner.Run(["ask", "--llm", "local", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], Settings(notAModel));

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("not a GGUF model"));
        Assert.Contains("answering offline from the notes instead", line);
        Assert.Matches(@"optimizers\.md:\d+-\d+", result.Stdout);
    }
}
