using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Tests.Embedding;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;

namespace MlTutor.Tests.Answering;

/// <summary>The interviewer's answer: its parts from the notes, each cited, and follow-ups from the question bank, with
/// the real MiniLM model ranking them.</summary>
public class InterviewerAnswerTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    private ExtractiveAnswerer Answerer => new(texts => encoders.Fp32.Embed(texts));

    private static readonly Chunk Dropout = MakeChunk("regularization.md", 900, "Regularization › Dropout",
        "Dropout is a regularization technique that randomly zeroes a share of the activations at every training step.",
        "",
        "It works by training a different thinned network at each step, so units cannot co-adapt and the whole acts as an ensemble.",
        "",
        "$$\\tilde{h} = \\frac{m \\odot h}{p}, \\quad m_i \\sim \\text{Bernoulli}(p)$$",
        "",
        "Trade-off: a higher drop rate regularizes more but slows convergence, so training takes more epochs.");

    private static BankQuestion Bank(string question, int line, string heading = "Regularization") =>
        new($"regularization.md#{line}", question, "regularization.md", line, line + 2, heading, ItemKind.Flashcard);

    [Fact]
    public async Task The_interview_answer_has_the_parts_the_notes_hold_each_cited_and_no_others()
    {
        var answer = await Answerer.AnswerAsync(Context("Explain dropout like in an interview.", Dropout), AnswerStyle.Interviewer);

        var lines = answer.Text.Split('\n');
        Assert.StartsWith("Definition: Dropout is a regularization technique", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("How it works: It works by training a different thinned network", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Key formula: $$\\tilde{h}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Trade-offs: Trade-off: a higher drop rate", StringComparison.Ordinal));
        // The notes name no pitfall: the part is left out, not padded.
        Assert.DoesNotContain(lines, l => l.StartsWith("Pitfall", StringComparison.Ordinal));
        Assert.All(lines.Where(l => !l.StartsWith("Follow-up", StringComparison.Ordinal) && !l.StartsWith("- ", StringComparison.Ordinal)),
            l => Assert.EndsWith(" [1]", l, StringComparison.Ordinal));
        var citation = Assert.Single(answer.Citations);
        Assert.Equal((900, 906), (citation.StartLine, citation.EndLine));
    }

    [Fact]
    public async Task An_arrow_written_in_tex_is_no_key_formula()
    {
        var labels = MakeChunk("encoding.md", 40, "Encoding › Label encoding",
            "Label encoding maps each category to an integer, which suits ordinal features such as sizes.",
            "",
            "Example: Red $\\rightarrow$ 0, Green $\\rightarrow$ 1, Blue $\\rightarrow$ 2.",
            "",
            "Pitfall: a model may read an order into the integers that the categories do not have.");

        var answer = await Answerer.AnswerAsync(Context("Explain label encoding like in an interview.", labels), AnswerStyle.Interviewer);

        Assert.Contains("Label encoding maps each category", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Key formula", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_ups_are_questions_of_the_bank_on_the_topic_with_where_the_notes_answer_them_never_the_question_itself()
    {
        var context = Context("How does dropout work?", Dropout) with
        {
            QuestionBank =
            [
                Bank("How does dropout work?", 10),
                Bank("Why is dropout turned off at inference time?", 20),
                Bank("How does batch normalization interact with dropout?", 30),
                Bank("What is the capital of France?", 40, "Trivia"),
                Bank("What does L2 regularization add to the loss?", 50),
            ],
        };

        var answer = await Answerer.AnswerAsync(context, AnswerStyle.Interviewer);

        var lines = answer.Text.Split('\n').ToList();
        var at = lines.IndexOf("Follow-up questions:");
        Assert.True(at > 0, answer.Text);
        var followUps = lines[(at + 1)..];
        Assert.InRange(followUps.Count, 2, 3);
        Assert.Contains("- Why is dropout turned off at inference time? (regularization.md:20)", followUps);
        Assert.Contains("- How does batch normalization interact with dropout? (regularization.md:30)", followUps);
        Assert.DoesNotContain(followUps, f => f.Contains("How does dropout work?", StringComparison.Ordinal) || f.Contains("France", StringComparison.Ordinal));
        Assert.DoesNotContain("An interviewer would ask", answer.Text, StringComparison.Ordinal);
    }
}
