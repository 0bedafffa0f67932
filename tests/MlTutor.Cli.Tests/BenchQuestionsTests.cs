using MlTutor.Cli.Commands;

namespace MlTutor.Cli.Tests;

/// <summary>The short questions <c>bench</c> times retrieval with by default.</summary>
public sealed class BenchQuestionsTests
{
    [Fact]
    public void Short_questions_are_ten_words_on_one_line_spread_over_the_notes()
    {
        string[] texts =
        [
            "Optimizers › Adam\nAdam combines momentum with\tRMSprop's scaling of each step.\nIt keeps two running moments.",
            "Regularization › Dropout\nDropout zeroes activations.",
            "Evaluation › Precision\nPrecision is the share of predicted positives that are right.",
            "Evaluation › Recall\nRecall is the share of real positives found.",
        ];

        var questions = BenchCommand.ShortQuestions(texts, 2);

        Assert.Equal(["Optimizers › Adam Adam combines momentum with RMSprop's scaling of", "Evaluation › Precision Precision is the share of predicted positives"], questions);
        Assert.All(BenchCommand.ShortQuestions(texts, 10), q =>
        {
            Assert.DoesNotContain('\n', q);
            Assert.InRange(q.Split(' ').Length, 1, 10);
        });
        Assert.Empty(BenchCommand.ShortQuestions(texts, 0));
    }
}
