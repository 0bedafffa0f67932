using MlTutor.Retrieval;
using Xunit;

namespace MlTutor.Tests.Retrieval;

public sealed class QuestionPartsTests
{
    [Theory]
    [InlineData("What is dropout? Why does it reduce overfitting?", new[] { "What is dropout?", "Why does it reduce overfitting?" })]
    [InlineData("word2vec has two flavors — what's the difference between CBOW and skip-gram?",
        new[] { "word2vec has two flavors —", "what's the difference between CBOW and skip-gram?" })]
    [InlineData("What does L1 do to the weights, and why does L2 shrink them instead?",
        new[] { "What does L1 do to the weights", "why does L2 shrink them instead?" })]
    [InlineData("Explain it like an interviewer would: how does an LSTM keep its memory; what do the gates do?",
        new[] { "Explain it like an interviewer would:", "how does an LSTM keep its memory;", "what do the gates do?" })]
    public void A_question_asking_several_things_splits_into_its_parts(string question, string[] expected) =>
        Assert.Equal(expected, QuestionParts.Split(question));

    [Theory]
    [InlineData("What is the learning rate?")]
    [InlineData("Why? Because the gradient explodes without clipping.")] // "Why?" is too short to be a part
    [InlineData("Is a learning rate of 0.01 too small for Adam?")] // no space after the point: not a sentence end
    [InlineData("precision, recall and F1")]
    [InlineData("")]
    [InlineData("   ")]
    public void A_question_of_one_part_is_not_split(string question) => Assert.Empty(QuestionParts.Split(question));
}
