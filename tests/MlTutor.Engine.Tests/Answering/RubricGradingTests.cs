using MlTutor.Answering;
using Xunit;

namespace MlTutor.Tests.Answering;

/// <summary>The rubric a language model grades an interview answer with, and how its reply is read, including the replies
/// small models really write.</summary>
public sealed class RubricGradingTests
{
    private static readonly string[] Points =
    [
        "Bias is error from wrong assumptions; high bias means underfitting.",
        "Variance is error from sensitivity to the training data; high variance means overfitting.",
        "The goal is the sweet spot where the total error is smallest.",
    ];

    [Fact]
    public void A_reply_in_the_rubrics_four_lines_is_read_whole()
    {
        var grade = RubricGrading.Read("Covered: 1, 3\nMissed: 2\nScore: 7\nFeedback: You defined bias well. You left out variance.", 3);

        Assert.True(grade.Readable);
        Assert.Equal(0.7, grade.Score);
        Assert.Equal([1, 3], grade.Covered);
        Assert.Equal([2], grade.Missed);
        Assert.Equal("You defined bias well. You left out variance.", grade.Feedback);
    }

    [Fact]
    public void Decorated_labels_other_scales_and_feedback_over_several_lines_are_read()
    {
        var grade = RubricGrading.Read("Here is my grade:\n- **Covered:** 2 and 5\n- **Missed:** none\n**Score:** 8/10\n**Feedback:**\nGood on variance.\nMention the sweet spot next time.", 3);

        Assert.Equal(0.8, grade.Score);
        Assert.Equal([2], grade.Covered); // 5 names no key point
        Assert.Empty(grade.Missed);
        Assert.Equal("Good on variance. Mention the sweet spot next time.", grade.Feedback);
        Assert.Equal(0.75, RubricGrading.Read("Score: 75%", 3).Score);
        Assert.Equal(0.5, RubricGrading.Read("Score: 0.5", 3).Score);
        Assert.Equal(0.45, RubricGrading.Read("Score: 9 out of 20", 3).Score);
        Assert.Equal(0.85, RubricGrading.Read("Score: 85", 3).Score); // past 10: a score out of 100
    }

    [Fact]
    public void A_point_called_both_covered_and_missed_is_missed()
    {
        var grade = RubricGrading.Read("Covered: 1, 2\nMissed: 2, 3\nScore: 4\nFeedback: Half right.", 3);
        Assert.Equal([1], grade.Covered);
        Assert.Equal([2, 3], grade.Missed);
    }

    [Fact]
    public void Numbers_no_parser_reads_are_left_out_and_a_feedback_sentence_starting_with_a_label_word_is_kept()
    {
        // Other scripts' digits and a number too long for an int name no key point; neither may stop the grading.
        var grade = RubricGrading.Read("Covered: 1, \u0662, 99999999999\nMissed: 2\nScore: 7\nFeedback: You named the penalty.\n"
            + "Covered well, but say when each is used.", 3);

        Assert.Equal([1], grade.Covered);
        Assert.Equal([2], grade.Missed);
        Assert.Equal(0.7, grade.Score);
        Assert.Equal("You named the penalty. Covered well, but say when each is used.", grade.Feedback);
    }

    [Fact]
    public void A_reply_that_keeps_to_no_format_is_kept_as_feedback_with_no_score()
    {
        var grade = RubricGrading.Read("The candidate explained bias and variance clearly.\nThey should add the sweet spot.", 3);

        Assert.False(grade.Readable);
        Assert.Null(grade.Score);
        Assert.Empty(grade.Covered);
        Assert.Equal("The candidate explained bias and variance clearly. They should add the sweet spot.", grade.Feedback);
    }

    [Fact]
    public void Feedback_stopped_mid_sentence_keeps_its_finished_sentences()
    {
        var grade = RubricGrading.Read("Score: 6\nFeedback: You explained the trade-off. You did not mention how dot products grow too", 3);
        Assert.Equal("You explained the trade-off.", grade.Feedback);
        // With no finished sentence, what there is stays.
        Assert.Equal("You explained the trade", RubricGrading.Read("Score: 6\nFeedback: You explained the trade", 3).Feedback);
    }

    [Fact]
    public void The_prompt_numbers_the_key_points_and_holds_the_answer_with_a_worked_example()
    {
        var messages = RubricGrading.Messages("Walk me through the bias-variance trade-off.", Points, "Bias is underfitting.", maxPromptTokens: 2000);

        Assert.Equal(4, messages.Count); // the rubric, the example's question and grade, then the answer to grade
        Assert.Equal(RubricGrading.Instruction, messages[0].Text);
        var user = messages[^1].Text;
        Assert.Contains("1. Bias is error from wrong assumptions", user);
        Assert.Contains("3. The goal is the sweet spot", user);
        Assert.EndsWith("Candidate's answer:\nBias is underfitting.", user);
        // The example's reply is itself in the format it teaches.
        Assert.True(RubricGrading.Read(messages[2].Text, 3).Readable);
    }

    [Fact]
    public void A_prompt_over_its_budget_leaves_out_the_example_then_cuts_the_answer()
    {
        var longAnswer = string.Join(' ', Enumerable.Repeat("Bias is error from assumptions that are too simple.", 80));
        var small = RubricGrading.Messages("Walk me through the bias-variance trade-off.", Points, longAnswer, maxPromptTokens: 500);

        Assert.Equal(2, small.Count);
        Assert.InRange(small.Sum(m => TokenEstimate.OfMessage(m.Text)), 1, 500 + 2);
        Assert.EndsWith(" …", small[^1].Text);
        Assert.Contains("3. The goal is the sweet spot", small[^1].Text); // the key points are never cut
    }
}
