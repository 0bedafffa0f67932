using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Tests.Embedding;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;

namespace MlTutor.Tests.Answering;

/// <summary>An offline answer is made of whole units that stand on their own, with the real MiniLM model ranking them.</summary>
public class AnswerUnitTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    private ExtractiveAnswerer Answerer => new(texts => encoders.Fp32.Embed(texts));

    /// <summary>The line an answer puts where items of a list are left out.</summary>
    private const string TutorAnswerTextLeftOut = "- …";

    private static List<string> QuotedLines(Answer answer) => Quotes(answer.Text).Select(q => q.Sentence).ToList();

    [Fact]
    public async Task A_table_row_is_quoted_under_its_header_and_the_header_row_never_alone()
    {
        var gradients = MakeChunk("script.md", 200, "Deep learning › Gradient problems",
            "Problem\tSymptoms",
            "Vanishing Gradients\tNetwork stops learning, loss plateaus, especially early layers",
            "",
            "Exploding Gradients\tModel diverges, loss becomes NaN, weights blow up",
            "",
            "Gradient clipping caps the norm of the gradient before each update.");

        var answer = await Answerer.AnswerAsync(Context("What symptoms tell me my gradients are exploding?", gradients), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        var row = quotes.IndexOf("Exploding Gradients | Model diverges, loss becomes NaN, weights blow up");
        Assert.True(row > 0, answer.Text);
        // The header still names the columns of a row pasted after a blank line.
        Assert.Contains("Problem | Symptoms", quotes[..row]);
        Assert.NotEqual("Problem | Symptoms", quotes[^1]);
        Assert.InRange(200, answer.Citations[0].StartLine, answer.Citations[0].EndLine);
    }

    [Fact]
    public async Task Code_lines_outside_a_fence_are_never_quoted()
    {
        var xgboost = MakeChunk("boosting.md", 10, "Ensembles › XGBoost",
            "XGBoost trains gradient boosted trees with a regularized objective and second-order gradients.",
            "import xgboost as xgb",
            "model = xgb.XGBClassifier(max_depth=3, n_estimators=200)",
            "model.fit(X_train, y_train)",
            "It is usually the strongest model on tabular data.");

        var answer = await Answerer.AnswerAsync(Context("How do I train an XGBoost model with xgboost?", xgboost), AnswerStyle.Tutor);

        Assert.Contains("XGBoost trains gradient boosted trees", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(QuotedLines(answer), q => q.Contains("xgb", StringComparison.Ordinal) || q.StartsWith("model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_notes_own_question_prompts_are_never_quoted_as_answers()
    {
        var review = MakeChunk("review.md", 60, "Evaluation › Precision and recall",
            "Interview questions:",
            "- Explain the difference between precision and recall",
            "- Describe when you would prefer recall over precision",
            "",
            "Precision is the share of predicted positives that are truly positive, and recall is the share of actual positives that are found.");

        var answer = await Answerer.AnswerAsync(Context("What is the difference between precision and recall?", review), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        Assert.StartsWith("Precision is the share of predicted positives", quotes[0], StringComparison.Ordinal);
        Assert.DoesNotContain(quotes, q => q.StartsWith("Explain", StringComparison.Ordinal) || q.StartsWith("Describe", StringComparison.Ordinal)
            || q == "Interview questions:");
    }

    private static readonly Chunk Fitting = MakeChunk("fitting.md", 280, "ML basics › Underfitting and overfitting",
        "**Underfitting**",
        "",
        "- Happens when a model is too simple to capture the underlying pattern of the data.",
        "- Results in poor performance on both training and test sets.",
        "- Model has high bias and low variance.",
        "",
        "**Overfitting**",
        "",
        "- Happens when a model learns the noise of the training data as if it were pattern.",
        "- Results in excellent training performance but poor performance on new data.",
        "- Model has low bias and high variance.");

    [Fact]
    public async Task A_short_list_an_item_of_which_answers_is_quoted_whole_under_its_heading()
    {
        var answer = await Answerer.AnswerAsync(
            Context("My model does badly on the training set and on the test set: is that high bias or high variance?", Fitting), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        var heading = quotes.IndexOf("**Underfitting**");
        Assert.True(heading >= 0, answer.Text);
        Assert.Equal(["Happens when a model is too simple to capture the underlying pattern of the data.",
            "Results in poor performance on both training and test sets.", "Model has high bias and low variance."], quotes.Skip(heading + 1).Take(3));
    }

    [Fact]
    public async Task An_item_of_a_long_list_carries_its_lead_in_and_the_items_left_out_are_marked()
    {
        var tips = MakeChunk("training.md", 500, "Training › Practical tips",
            "Tips that make training a deep network go smoothly:",
            "- Normalize the inputs to zero mean and unit variance before anything else is tried on them.",
            "- Start from a learning rate found with a learning-rate range test rather than a guess.",
            "- Use a warm-up of a few hundred steps when the batch is large so early updates stay stable.",
            "- Clip the gradient norm so that a single bad batch cannot blow up the weights of the network.",
            "- Checkpoint the model often and keep the best one by validation loss, not the last one.",
            "- Log the learning rate, the loss and the gradient norm at every step to catch divergence early.",
            "- Shuffle the training data at every epoch so that the batches differ from epoch to epoch.");

        var answer = await Answerer.AnswerAsync(Context("How do I stop one bad batch from blowing up my weights?", tips), AnswerStyle.Tutor);

        var lines = answer.Text.Split('\n');
        var item = Array.FindIndex(lines, l => l.StartsWith("- Clip the gradient norm", StringComparison.Ordinal));
        Assert.True(item > 0, answer.Text);
        Assert.StartsWith("Tips that make training a deep network go smoothly:", lines[0], StringComparison.Ordinal);
        Assert.Contains(TutorAnswerTextLeftOut, lines);
        Assert.InRange(lines.Count(l => l.StartsWith("- ", StringComparison.Ordinal) && l != TutorAnswerTextLeftOut), 1, 6);
    }
}
