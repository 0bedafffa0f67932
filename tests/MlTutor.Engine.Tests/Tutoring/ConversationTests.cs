using MlTutor.Tutoring;

namespace MlTutor.Tests.Tutoring;

/// <summary>A question as a turn of a conversation, through the facade over the sample notes and the real model.</summary>
public sealed class ConversationTests : IDisposable
{
    private const string DropoutQuestion = "How does dropout prevent overfitting?";
    private readonly string _index = TestPaths.NewTempDir("mltutor-conversation-index");

    private Tutor NewTutor() => new(new TutorSettings
    {
        Corpus = { Directory = Path.Combine(TestPaths.RepoRoot, "corpus") },
        Index = { Directory = _index },
    }, TestPaths.RepoRoot);

    public void Dispose()
    {
        try { Directory.Delete(_index, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_follow_up_with_a_pronoun_retrieves_the_passage_of_the_earlier_topic()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        const string followUp = "what rate is usually used for it?";

        var context = tutor.Retrieve(followUp, new QuestionOptions { History = [DropoutQuestion] });

        Assert.Equal(followUp, context.Question);
        Assert.Contains("dropout", context.StandaloneQuestion, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith(followUp, context.StandaloneQuestion);
        Assert.False(context.NotCovered);
        Assert.Equal("Regularization › Dropout", context.Passages[0].Chunk.HeadingPath);
    }

    [Theory]
    [InlineData("How do transformers encode the position of a token?")]
    // A new topic that happens to use a pronoun.
    [InlineData("How is positional information added to the token embeddings in a transformer, and why is it needed?")]
    public void A_change_of_topic_leaves_the_history_behind(string newTopic)
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();

        var alone = tutor.Retrieve(newTopic);
        var inConversation = tutor.Retrieve(newTopic, new QuestionOptions { History = [DropoutQuestion] });

        Assert.Equal(newTopic, inConversation.StandaloneQuestion);
        Assert.Equal(alone.Passages.Select(p => p.Chunk.Id), inConversation.Passages.Select(p => p.Chunk.Id));
        Assert.DoesNotContain(inConversation.Passages.Take(2), p => p.Chunk.File == "regularization.md");
    }

    [Fact]
    public async Task An_answer_to_a_follow_up_keeps_the_question_as_asked_and_says_what_it_was_read_as()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        const string followUp = "what do you do with it at test time?";

        var answer = await tutor.AskAsync(followUp, new QuestionOptions { History = [DropoutQuestion] });

        Assert.Equal(followUp, answer.Question);
        Assert.NotEqual(followUp, answer.StandaloneQuestion);
        Assert.False(answer.NotCovered);
        Assert.Contains(answer.Citations, c => c.File == "regularization.md" && c.HeadingPath.EndsWith("Dropout"));
    }

    [Theory]
    [InlineData("how do I tune it?", true)]
    [InlineData("what's the risk with the second one?", true)]
    [InlineData("and the exploding kind?", true)]
    [InlineData("how do leaky relu and prelu get around that?", true)]
    [InlineData("What is the loss that a linear SVM minimises?", false)]
    [InlineData("How do transformers encode the position of a token?", false)]
    [InlineData("Which one-hot encoding pitfalls matter for trees?", false)]
    public void Words_that_point_back_are_told_from_words_that_do_not(string question, bool pointsBack) =>
        Assert.Equal(pointsBack, FollowUpQuestion.PointsBack(question));

    [Fact]
    public void The_standalone_text_leaves_out_the_oldest_turns_first_when_too_long()
    {
        var text = FollowUpQuestion.Standalone(["what is dropout?", "and batch norm?"], "how do they interact?", 50);

        Assert.Equal("and batch norm, how do they interact?", text);
        Assert.Equal("what is dropout, and batch norm, how do they interact?",
            FollowUpQuestion.Standalone(["what is dropout?", "and batch norm?"], "how do they interact?", 200));
    }
}
