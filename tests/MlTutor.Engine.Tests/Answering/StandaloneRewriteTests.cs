using MlTutor.Answering;
using static MlTutor.Tests.Answering.ChatClientAnswererTests;

namespace MlTutor.Tests.Answering;

/// <summary>A follow-up rewritten by a language model to stand alone: how the reply is read, and the request against
/// llama.cpp's own server on the shared tiny model.</summary>
public sealed class StandaloneRewriteTests(LlamaServerFixture fixture) : IClassFixture<LlamaServerFixture>
{
    private static readonly string[] History = ["How does dropout prevent overfitting?"];
    private const string FollowUp = "what do you do with it at test time?";

    [Theory]
    [InlineData("How is dropout handled at test time?", "How is dropout handled at test time?")]
    [InlineData("Rewritten question: How is dropout handled at test time?", "How is dropout handled at test time?")]
    [InlineData("The last question rewritten to stand alone:\n\n\"How is dropout handled at test time?\"\n", "How is dropout handled at test time?")]
    // Nothing usable: empty, only a label, the earlier question or the prompt's example again, an answer rather than a
    // question.
    [InlineData("", null)]
    [InlineData("Standalone question:", null)]
    [InlineData("how does dropout prevent overfitting", null)]
    [InlineData("How do I pick the learning rate of gradient descent?", null)]
    [InlineData("At test time every unit is kept and its output is scaled by the keep probability, so that the expected "
        + "activation matches training; frameworks do the scaling during training instead, which is called inverted dropout.", null)]
    public void The_reply_is_read_as_one_question_or_none(string reply, string? expected) =>
        Assert.Equal(expected, StandaloneRewrite.Read(reply, History, FollowUp));

    [Fact]
    public void The_request_carries_the_earlier_questions_and_the_last_one_after_an_example()
    {
        var messages = StandaloneRewrite.Messages(["What is k-nearest neighbors?", "How is k chosen?"], "and its disadvantages?");

        Assert.Equal("Earlier questions:\n- What is k-nearest neighbors?\n- How is k chosen?\nLast question: and its disadvantages?",
            messages[^1].Text);
        Assert.Equal(Microsoft.Extensions.AI.ChatRole.Assistant, messages[^2].Role);
    }

    [SkippableFact]
    public async Task A_real_model_rewrites_a_follow_up_into_one_line()
    {
        using var answerer = new ChatClientAnswerer(EndpointChatClient.Create(Endpoint(fixture.Server.Endpoint, key: null)),
            Generation(firstTokenSeconds: 60, timeoutSeconds: 120));

        var rewritten = await answerer.RewriteAsync(History, FollowUp);

        // The tiny model's rewrite is poor, but it is read as one question of the conversation's length.
        Assert.NotNull(rewritten);
        Assert.DoesNotContain('\n', rewritten);
        Assert.NotEqual(History[0], rewritten, StringComparer.OrdinalIgnoreCase);
        Assert.InRange(rewritten.Length, 5, History[0].Length + FollowUp.Length + 40);
    }
}
