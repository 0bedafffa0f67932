using MlTutor.Answering;
using Xunit;
using static MlTutor.Tests.Answering.ChatClientAnswererTests;

namespace MlTutor.Tests.Answering;

public class RepetitionGuardTests
{
    private const string Loop = "Bias-variance tradeoff is a fundamental concept in machine learning. ";

    [Fact]
    public void A_sentence_written_again_is_a_loop_that_starts_at_the_second_one()
    {
        var text = "It balances two errors [1]. " + Loop + Loop + "Bias-variance";
        Assert.Equal(("It balances two errors [1]. " + Loop).Length, RepetitionGuard.RepeatStart(text));
    }

    [Fact]
    public void A_long_run_of_words_written_again_is_a_loop_even_without_a_sentence_end()
    {
        const string run = "the model learns the noise of the training set instead of the signal and ";
        var text = "Overfitting means " + run + run + "so on";
        Assert.Equal(("Overfitting means " + run).Length, RepetitionGuard.RepeatStart(text));
    }

    [Fact]
    public void A_label_before_the_first_sentence_does_not_hide_its_repeat()
    {
        const string said = "You described dropout during training well. ";
        Assert.Equal(("Feedback: " + said).Length, RepetitionGuard.RepeatStart("Feedback: " + said + said + said, labelledLines: true));
        // In an answer a label is what the sentence is about.
        Assert.Null(RepetitionGuard.RepeatStart("L1: adds a penalty to the loss.\nL2: adds a penalty to the loss."));
    }

    [Theory]
    [InlineData("Yes. Yes. It depends on the data.")]
    [InlineData("Use L2 regularisation [1]. Use dropout [2]. Use early stopping [3].")]
    [InlineData("The learning rate sets the step. A small learning rate is slow; a large learning rate diverges.")]
    [InlineData("Bias-variance tradeoff is a fundamental concept in machine learning")]
    public void Short_or_different_repeats_are_not_a_loop(string text) => Assert.Null(RepetitionGuard.RepeatStart(text));

    [Fact]
    public async Task A_model_that_loops_is_stopped_there_and_the_notes_own_answer_follows_it()
    {
        // The reply repeats itself without end, as the shared small model does; the server would send it all.
        await using var server = OpenAiCompatibleServer.Answering("It balances two errors. " + string.Concat(Enumerable.Repeat(Loop, 40)));
        using var model = ChatClientAnswererTests.Answerer(ChatClientAnswererTests.Endpoint(server.Endpoint));
        var offline = new ExtractiveAnswerer(sentences => sentences.Select(s => new float[] { s.Length, 1 }).ToArray());

        var updates = await Collect(new FallbackAnswerer(model, offline).StreamAsync(ChatClientAnswererTests.Question, AnswerStyle.Tutor));

        var answer = updates[^1].Final!;
        Assert.True(answer.StoppedRepeating);
        Assert.Equal("It balances two errors. " + Loop.TrimEnd(), answer.Text);
        // Stopped at the first repeat, not run to the end of the reply.
        Assert.True(answer.CompletionTokens < 40, $"{answer.CompletionTokens} pieces read");
        Assert.True(answer.Uncited);
        Assert.NotNull(answer.OfflineAnswer);
        Assert.NotEmpty(answer.OfflineAnswer!.Citations);
    }
}
