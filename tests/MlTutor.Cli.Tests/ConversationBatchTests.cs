namespace MlTutor.Cli.Tests;

/// <summary>Batch lines that are turns of a conversation: "history" in, "standaloneQuestion" out.</summary>
public sealed class ConversationBatchTests
{
    private static string BatchFile()
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "turns.jsonl");
        File.WriteAllLines(file,
        [
            """{"id": "follow-up", "history": ["How does dropout prevent overfitting?"], "question": "what rate is usually used for it?"}""",
            """{"id": "alone", "question": "What does Adam add to RMSprop?"}""",
        ]);
        return file;
    }

    [Theory]
    [InlineData("search")]
    [InlineData("ask")]
    public void Batch_lines_with_history_carry_the_standalone_question(string command)
    {
        var result = CliRunner.Run(command, "--batch", BatchFile(), "--json", "--index", CliRunner.SampleIndex);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.JsonLines();
        Assert.Equal(2, lines.Count);

        var followUp = lines[0].GetProperty("standaloneQuestion").GetString()!;
        Assert.Contains("dropout", followUp, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("what rate is usually used for it?", followUp);
        Assert.False(lines[0].GetProperty("notCovered").GetBoolean());
        Assert.Equal("What does Adam add to RMSprop?", lines[1].GetProperty("standaloneQuestion").GetString());
        if (command == "search")
            Assert.Equal("regularization.md", lines[0].GetProperty("results")[0].GetProperty("file").GetString());
        else
            Assert.Equal("what rate is usually used for it?", lines[0].GetProperty("question").GetString());
    }

    [Fact]
    public void A_history_that_is_not_a_list_of_questions_names_the_line()
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "turns.jsonl");
        File.WriteAllText(file, """{"id": "x", "history": "What is dropout?", "question": "and its rate?"}""" + "\n");
        var result = CliRunner.Run("search", "--batch", file, "--index", CliRunner.NewTempDir());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{file}:1", result.Stderr);
        Assert.Contains("\"history\"", result.Stderr);
    }
}
