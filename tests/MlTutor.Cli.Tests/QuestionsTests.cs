using System.Text.Json;

namespace MlTutor.Cli.Tests;

public class QuestionsTests
{
    [Fact]
    public void Questions_lists_the_notes_own_questions_with_where_they_are_answered_and_a_topic_narrows_them()
    {
        var corpus = CliRunner.CopyOfSampleNotes();
        File.WriteAllText(Path.Combine(corpus, "kernels.md"),
            "# Kernels\n\n## What is a kernel?\n\nA kernel computes a dot product in a feature space.\n\nQ: Why use the kernel trick?\n\nA: It avoids computing the features.\n");
        var index = CliRunner.NewTempDir();

        var result = CliRunner.Run("questions", "--json", "--corpus", corpus, "--index", index);

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(rows, r => Assert.Equal(["itemId", "question", "file", "startLine", "endLine", "headingPath", "kind"],
            r.EnumerateObject().Select(p => p.Name)));
        var heading = Assert.Single(rows, r => r.GetProperty("question").GetString() == "What is a kernel?");
        Assert.Equal(("kernels.md", "heading", 3), (heading.GetProperty("file").GetString(), heading.GetProperty("kind").GetString(), heading.GetProperty("startLine").GetInt32()));
        var pair = Assert.Single(rows, r => r.GetProperty("question").GetString() == "Why use the kernel trick?");
        Assert.Equal(("qa", 7), (pair.GetProperty("kind").GetString(), pair.GetProperty("startLine").GetInt32()));
        Assert.Contains(rows, r => r.GetProperty("kind").GetString() == "flashcard");

        var narrowed = CliRunner.Run("questions", "--json", "--topic", "kernel", "--corpus", corpus, "--index", index);

        Assert.True(narrowed.ExitCode == 0, narrowed.ToString());
        var questions = narrowed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()).ToList();
        Assert.Equal(["What is a kernel?", "Why use the kernel trick?"], questions);
    }
}
