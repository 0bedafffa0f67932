using MlTutor.Retrieval;

namespace MlTutor.Tests.Retrieval;

public sealed class OriginQuestionTests
{
    [Theory]
    [InlineData("who invented it?", true)]
    [InlineData("who came up with it originally, like which paper and authors?", true)]
    [InlineData("which lab published it?", true)]
    [InlineData("Whose idea was batch norm?", true)]
    [InlineData("which research group proposed it?", true)]
    [InlineData("who first proposed dropout?", true)]
    [InlineData("by whom was it introduced?", true)]
    [InlineData("who should use Adam instead of SGD?", false)]
    [InlineData("Who won the 2018 FIFA World Cup?", false)]
    [InlineData("what does dropout do during training?", false)]
    [InlineData("which layer comes first?", false)]
    [InlineData("what do the authors of a model card report?", false)]
    public void A_question_asking_who_made_something_or_where_it_appeared_asks_for_an_origin(string question, bool asks) =>
        Assert.Equal(asks, OriginQuestion.Asks(question));

    [Theory]
    [InlineData("Dropout was introduced by Srivastava et al. in 2014.", true)]
    [InlineData("GRU Equations (Cho et al., 2014)", true)]
    [InlineData("- Developed by Google AI (2018)", true)]
    [InlineData("The LSTM of Hochreiter & Schmidhuber, 1997, adds gates.", true)]
    [InlineData("EvoLved Sign Momentum (2023)\nUses sign of gradient. Memory-efficient.", false)]
    [InlineData("Dropout zeroes activations by chance at each step.", false)]
    [InlineData("Scale the weights by the keep probability.", false)]
    public void A_passage_states_an_origin_when_it_names_who_made_something(string text, bool states) =>
        Assert.Equal(states, OriginQuestion.IsStatedIn(text));

    [Fact]
    public void Only_the_passages_an_answer_quotes_from_are_read()
    {
        string[] passages = ["Dropout zeroes units.", "It scales the rest.", "At test time all units are kept.", "Introduced by Srivastava et al."];
        Assert.True(OriginQuestion.Unanswered("who invented dropout?", passages));
        Assert.False(OriginQuestion.Unanswered("who invented dropout?", passages.Reverse()));
        Assert.False(OriginQuestion.Unanswered("how does dropout work?", passages));
    }
}
