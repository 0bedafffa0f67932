using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Tests.Embedding;
using MlTutor.Tutoring;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;

namespace MlTutor.Tests.Tutoring;

/// <summary>The offline grader with the real MiniLM model: coverage of the notes' key points, and terms of two parallel
/// claims swapped counted against the answer.</summary>
public sealed class AnswerGraderTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    private const string Question = "Walk me through the bias-variance trade-off.";

    private static readonly Chunk Notes = MakeChunk("bias-variance.md", 10, "Model selection › Bias and variance",
        "Bias is error from wrong assumptions. High bias = underfitting (model too simple).",
        "",
        "Variance is error from sensitivity to the training data. High variance = overfitting (model too complex).",
        "",
        "Regularization lowers variance and raises bias; the goal is the sweet spot where the total error is smallest.");

    private readonly TutorSettings.GradingSettings _settings = new();

    private Func<IReadOnlyList<string>, float[][]> Embed => texts => encoders.Fp32.Embed(texts);

    private GradedAnswer Grade(string answer, string question = Question, Chunk? notes = null) =>
        new AnswerGrader(Embed, _settings).Grade(question, answer,
            ReferenceKeyPoints.Of(Context(question, notes ?? Notes), Embed, _settings.ReferenceChars, _settings.MaxKeyPoints));

    [Fact]
    public void The_reference_is_the_notes_claims_each_citing_its_own_lines()
    {
        var points = ReferenceKeyPoints.Of(Context(Question, Notes), Embed, _settings.ReferenceChars, _settings.MaxKeyPoints);
        Assert.Contains(points.Reference, p => p.Text.Contains("High bias = underfitting") && p.StartLine == 10 && p.EndLine == 10);
        Assert.Contains(points.Reference, p => p.Text.Contains("High variance = overfitting") && p.StartLine == 12 && p.EndLine == 12);
        Assert.All(points.Reference, p => Assert.Contains(p, points.All));
    }

    [Fact]
    public void A_sentence_pointing_back_keeps_the_one_it_points_to_as_a_key_point_and_cites_its_own_lines()
    {
        const string question = "What does Adam add to RMSprop?";
        var notes = MakeChunk("optimizers.md", 30, "Optimizers › Adam",
            "Adam combines the two ideas: it keeps momentum (a running mean of gradients, the first moment) on top of RMSprop's",
            "running mean of squared gradients (the second moment). It also corrects both averages for their bias towards zero in the first steps,",
            "dividing by $1 - \\beta^t$. Default settings: $\\beta_1 = 0.9$, $\\beta_2 = 0.999$, $\\epsilon = 10^{-8}$.");

        var points = ReferenceKeyPoints.Of(Context(question, notes), Embed, _settings.ReferenceChars, _settings.MaxKeyPoints);

        // "It also corrects…" leans on the sentence before it; that sentence, the section's main claim, is a key point of its own.
        var main = Assert.Single(points.All, p => p.Text.StartsWith("Adam combines the two ideas"));
        Assert.Contains(main, points.Reference);
        Assert.Equal((30, 31), (main.StartLine, main.EndLine));
        var leaning = Assert.Single(points.All, p => p.Text.StartsWith("It also corrects"));
        Assert.Equal((31, 32), (leaning.StartLine, leaning.EndLine));
    }

    [Fact]
    public void A_paraphrase_of_the_notes_covers_their_points_and_passes()
    {
        var graded = Grade("Bias is the error you get when the model's assumptions are too simple, so high bias is underfitting. "
            + "Variance is how much the fit depends on the particular training set, so high variance is overfitting. "
            + "Regularization brings variance down but pushes bias up, and you look for the sweet spot with the lowest total error.");
        Assert.Equal(GradeVerdict.Pass, graded.Verdict);
        Assert.All(graded.Covered.Concat(graded.Missed), k => Assert.Null(k.Contradiction));
        Assert.Contains(graded.Covered, k => k.Point.Text.Contains("underfitting"));
        Assert.Contains(graded.Covered, k => k.Point.Text.Contains("overfitting"));
        Assert.Equal("bias-variance.md", Assert.Single(graded.Citations).File);
    }

    [Fact]
    public void A_sentence_saying_the_opposite_of_a_points_word_contradicts_it_and_one_naming_both_poles_does_not()
    {
        const string question = "How does PCA work?";
        var notes = MakeChunk("pca.md", 5, "Dimensionality reduction › PCA",
            "PCA is an unsupervised dimensionality reduction technique that keeps as much variance as possible.",
            "",
            "Center the data, compute the covariance matrix and keep its top k eigenvectors as principal components.");

        var opposed = Grade("PCA is a supervised dimensionality reduction technique: it keeps the columns that vary the most with the target.", question, notes);
        var contradicted = Assert.Single(opposed.Missed, k => k.Point.Text.Contains("unsupervised"));
        Assert.Equal(("supervised", "unsupervised"), (contradicted.Contradiction?.Said, contradicted.Contradiction?.NotesSay));

        var contrasted = Grade("PCA is unsupervised, unlike supervised methods it never looks at a target, and it keeps as much variance as possible.", question, notes);
        Assert.All(contrasted.Covered.Concat(contrasted.Missed), k => Assert.Null(k.Contradiction));
        Assert.True(contrasted.Score > opposed.Score, $"{contrasted.Score} against {opposed.Score}");
    }

    [Fact]
    public void A_word_a_negating_word_turns_round_is_no_opposite_and_the_same_word_said_plainly_is()
    {
        const string question = "Why use ridge regression?";
        var notes = MakeChunk("ridge.md", 1, "Regularization › Ridge",
            "Ridge regression keeps the weights small by adding the squared L2 norm of the weights to the loss.");

        // "penalizes big weights" is "keeps the weights small" said the other way round.
        var turned = Grade("Ridge adds the squared L2 norm of the weights to the loss, which penalizes big weights.", question, notes);
        Assert.All(turned.Covered.Concat(turned.Missed), k => Assert.Null(k.Contradiction));

        var opposed = Grade("Ridge adds the squared L2 norm of the weights to the loss, which makes the weights big.", question, notes);
        var contradicted = Assert.Single(opposed.Missed);
        Assert.Equal(("big", "small"), (contradicted.Contradiction?.Said, contradicted.Contradiction?.NotesSay));
        Assert.True(turned.Score > opposed.Score, $"{turned.Score} against {opposed.Score}");
    }

    [Fact]
    public void A_negating_word_turns_round_only_its_own_clause_and_a_name_is_no_negation()
    {
        const string question = "What does dropout cost?";
        var notes = MakeChunk("dropout.md", 1, "Regularization › Dropout",
            "Dropout increases the training time, since each step trains a thinned network.");

        // "and" ends what "prevents" governs: "reduces the training time" is said plainly, against the notes.
        var graded = Grade("Dropout prevents overfitting and reduces the training time, since each step trains a thinned network.", question, notes);
        Assert.Equal(("reduces", "increases"), (Assert.Single(graded.Missed).Contradiction?.Said, graded.Missed[0].Contradiction?.NotesSay));

        // "stopping" in "early stopping" is a name, not a negation.
        var stopping = MakeChunk("early-stopping.md", 1, "Regularization › Early stopping",
            "Early stopping reduces overfitting by halting training once the validation loss rises.");
        var opposed = Grade("Early stopping increases overfitting by halting training once the validation loss rises.", "What does early stopping do?", stopping);
        Assert.Equal(("increases", "reduces"), (Assert.Single(opposed.Missed).Contradiction?.Said, opposed.Missed[0].Contradiction?.NotesSay));
    }

    [Fact]
    public void The_same_terms_in_a_reversed_relation_contradict_the_point_and_score_below_the_paraphrase()
    {
        var reversed = Grade("High bias means overfitting the training data, and high variance means underfitting because the model is too simple.");
        var contradicted = Assert.Single(reversed.Missed, k => k.Point.Text.Contains("High bias = underfitting"));
        Assert.NotNull(contradicted.Contradiction);
        Assert.Equal("overfitting", contradicted.Contradiction!.Said);
        Assert.Equal("underfitting", contradicted.Contradiction.NotesSay);
        Assert.DoesNotContain(reversed.Covered, k => k.Point.Text.Contains("underfitting") || k.Point.Text.Contains("overfitting"));

        var right = Grade("High bias means underfitting the training data, and high variance means overfitting because the model is too complex.");
        Assert.All(right.Covered.Concat(right.Missed), k => Assert.Null(k.Contradiction));
        Assert.True(right.Score > reversed.Score, $"right {right.Score} not above reversed {reversed.Score}");
    }

    [Fact]
    public void A_clause_about_the_other_claim_that_shares_a_term_with_this_one_is_no_swap()
    {
        const string question = "What's the difference between L1 and L2 regularization?";
        var notes = MakeChunk("regularization.md", 1, "Regularization",
            "### L1 regularization (lasso)",
            "",
            "L1 regularization adds the sum of the absolute weights to the loss, which makes many weights exactly zero: feature selection.",
            "",
            "### L2 regularization (ridge)",
            "",
            "- Penalty = $\\lambda \\times \\text{weights}^2$",
            "- Makes weights smaller but not zero");
        GradedAnswer Graded(string answer) => new AnswerGrader(Embed, _settings).Grade(question, answer,
            ReferenceKeyPoints.Of(Context(question, notes), Embed, _settings.ReferenceChars, _settings.MaxKeyPoints));

        // Each clause names one penalty and says what the notes say of it. "times" is a word only the L2 claim has (from its
        // formula): said of L1 in passing, it does not make the clause about L2.
        var right = Graded("Both add a penalty to the loss, but L1, or lasso, adds lambda times the sum of the absolute weights, and that makes many "
            + "weights exactly zero. L2, or ridge, adds lambda times the sum of the squared weights, so it makes them smaller but not zero.");
        Assert.All(right.Covered.Concat(right.Missed), k => Assert.Null(k.Contradiction));

        Assert.Equal(GradeVerdict.Pass, right.Verdict);
    }

    [Fact]
    public void A_list_of_short_items_is_a_claim_per_item_and_an_answer_expressing_one_covers_a_share_of_it()
    {
        const string question = "What are precision, recall and F1?";
        var notes = MakeChunk("metrics.md", 40, "Evaluation › Classification metrics",
            "Given a binary classifier:",
            "- Precision is the share of predicted positives that are truly positive",
            "- Recall is the share of actual positives the model finds",
            "- F1 is the harmonic mean of precision and recall");

        var points = ReferenceKeyPoints.Of(Context(question, notes), Embed, _settings.ReferenceChars, _settings.MaxKeyPoints);
        var list = Assert.Single(points.Reference);
        Assert.Equal((40, 43), (list.StartLine, list.EndLine));
        Assert.Equal(3, list.Items.Count);
        Assert.All(list.Items, item => Assert.StartsWith("Given a binary classifier:", item));

        // One item said at length is close in meaning to the whole list, yet it states one of its three claims.
        var one = Grade("Precision tells you, of all the examples you predicted as positive, which share really is positive; "
            + "it is the share of the predicted positives that are truly positive.", question, notes);
        var all = Grade("Precision is the share of your positive predictions that are right, recall is the share of the real "
            + "positives you find, and F1 is the harmonic mean of the two.", question, notes);
        var oneCoverage = Assert.Single(one.KeyPoints).Coverage;
        var allCoverage = Assert.Single(all.KeyPoints).Coverage;
        Assert.True(oneCoverage < 0.6 && allCoverage > oneCoverage + 0.2, $"one item of three: coverage {oneCoverage:F2}; every item: {allCoverage:F2}");
    }

    [Fact]
    public void A_list_item_is_read_under_every_lead_in_above_it_and_a_sibling_after_a_nested_list_under_none_of_them()
    {
        const string question = "How do you fix vanishing gradients?";
        var notes = MakeChunk("gradients.md", 110, "Deep learning › Training problems",
            "Issues:",
            "1. Vanishing Gradients:",
            "- Problem: Gradients become extremely small in early layers",
            "- Solutions:",
            "  * ReLU activation",
            "  * Residual connections",
            "- Batch normalization also keeps activations in range");

        var points = ReferenceKeyPoints.Of(Context(question, notes), Embed, _settings.ReferenceChars, _settings.MaxKeyPoints);

        var list = Assert.Single(points.All, p => p.Items.Count > 0);
        Assert.Equal([
            "Issues: Vanishing Gradients: Problem: Gradients become extremely small in early layers",
            "Issues: Vanishing Gradients: Solutions: ReLU activation",
            "Issues: Vanishing Gradients: Solutions: Residual connections",
            "Issues: Vanishing Gradients: Batch normalization also keeps activations in range",
        ], list.Items);
    }

    [Fact]
    public void Near_synonyms_in_one_claim_are_no_contradiction()
    {
        var graded = Grade("High bias is underfitting: the model is too basic. High variance is overfitting: the model is too elaborate.");
        Assert.All(graded.Covered.Concat(graded.Missed), k => Assert.Null(k.Contradiction));
    }

    [Fact]
    public void An_off_topic_or_empty_answer_covers_nothing_and_fails()
    {
        var offTopic = Grade("Precision is the share of predicted positives that are real; recall is the share of real positives found.");
        Assert.Equal(GradeVerdict.Fail, offTopic.Verdict);
        Assert.Empty(offTopic.Covered);

        var empty = Grade("  ");
        Assert.Equal(0, empty.Score);
        Assert.Equal(GradeVerdict.Fail, empty.Verdict);
        Assert.Empty(empty.Covered);
        Assert.NotEmpty(empty.Missed);
    }

    [Fact]
    public void Without_a_reference_in_the_notes_there_is_nothing_to_grade()
    {
        var graded = new AnswerGrader(Embed, _settings).Grade(Question, "Bias is underfitting.", new ReferencePoints([], []));
        Assert.True(graded.NotCovered);
        Assert.Equal(GradeVerdict.Fail, graded.Verdict);
        Assert.Empty(graded.Citations);
    }
}
