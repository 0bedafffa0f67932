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
    public void Ctrl_c_in_chat_stops_the_local_model_and_the_next_question_is_answered_by_it()
    {
        var model = SharedFolder.Require("models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf");
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        var settings = Settings(model);
        settings["MLTUTOR__Answering__MaxTokens"] = "400"; // far more than the second it is given
        using var chat = new TerminalSession(["chat", "--llm", "local", "--corpus", corpus, "--index", index], environment: settings);
        chat.WaitFor("you>");

        chat.Type("What does Adam add to RMSprop?");
        chat.Press("Enter");
        // Stopped while the model reads the prompt or writes: either way at once, not at the token cap.
        Thread.Sleep(1500);
        chat.Press("C-c");
        chat.WaitFor("(stopped)", timeoutSeconds: 30);

        chat.Type("How does dropout prevent overfitting?");
        chat.Press("Enter");
        // The model stayed loaded: the second answer comes from it, and the chat waits for a third question.
        chat.WaitFor(s => TerminalSession.Count(s, "you>") >= 3, "the prompt after the second answer", timeoutSeconds: 300);
        var screen = chat.Screen();
        var second = screen[screen.LastIndexOf("How does dropout prevent overfitting?", StringComparison.Ordinal)..];
        Assert.DoesNotContain("answering offline", second);
        Assert.DoesNotContain("(stopped)", second);
        chat.Press("C-d");
        Assert.Equal(0, chat.WaitForExit());
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

    [Fact]
    public void Grade_with_the_local_model_adds_its_grade_and_a_broken_model_leaves_the_offline_one()
    {
        var model = SharedFolder.Require("models/smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf");
        var batch = Path.Combine(CliRunner.NewTempDir(), "answers.jsonl");
        File.WriteAllText(batch, """{"id":"adam","question":"What does Adam add to RMSprop?","answer":"Momentum: a running mean of the gradients, on top of RMSprop's running mean of their squares."}""" + "\n");
        var notAModel = Path.Combine(CliRunner.NewTempDir(), "model.gguf");
        File.WriteAllText(notAModel, "<html><body>404: the download went wrong, this is not a model</body></html>");

        var graded = CliRunner.Run(["grade", "--batch", batch, "--json", "--llm", "local", "--index", CliRunner.SampleIndex], Settings(model));
        var broken = CliRunner.Run(["grade", "--batch", batch, "--json", "--llm", "local", "--index", CliRunner.SampleIndex], Settings(notAModel));

        Assert.True(graded.ExitCode == 0, graded.ToString());
        var byModel = graded.Json().GetProperty("byModel");
        Assert.Equal("local", byModel.GetProperty("provider").GetString());
        Assert.False(string.IsNullOrWhiteSpace(byModel.GetProperty("feedback").GetString()), graded.ToString());
        Assert.True(broken.ExitCode == 0, broken.ToString());
        Assert.Contains("not a GGUF model", broken.Json().GetProperty("modelError").GetString());
        Assert.Equal(graded.Json().GetProperty("score").GetDouble(), broken.Json().GetProperty("score").GetDouble());
        Assert.Contains("the offline grade stands", broken.Stderr);
    }
}
