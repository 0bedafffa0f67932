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

    [Theory]
    [InlineData("How do bagging and boosting differ?")]
    [InlineData("Bagging vs boosting: how do they differ?")]
    public async Task A_table_reading_as_well_as_its_best_row_is_quoted_whole_so_every_difference_is_there(string question)
    {
        var ensembles = MakeChunk("ensembles.md", 40, "Ensembles › Bagging vs Boosting",
            "| Aspect | Bagging | Boosting |",
            "|---|---|---|",
            "| Training | Models trained in parallel on bootstrap samples | Models trained in sequence, each fixing the last one's errors |",
            "| Reduces | Variance | Bias |",
            "| Votes | Every model counts equally | Models weighted by their accuracy |",
            "| Overfitting | Rarely overfits | Can overfit noisy data |",
            "| Examples | Random Forest | AdaBoost, Gradient Boosting, XGBoost |",
            "",
            "Stacking trains a meta-model on the predictions of different base models.");

        var answer = await Answerer.AnswerAsync(Context(question, ensembles), AnswerStyle.Tutor);

        // Five rows are more units than an answer quotes one by one: the table is one unit, header first.
        Assert.Equal(["Aspect | Bagging | Boosting",
            "Training | Models trained in parallel on bootstrap samples | Models trained in sequence, each fixing the last one's errors",
            "Reduces | Variance | Bias",
            "Votes | Every model counts equally | Models weighted by their accuracy",
            "Overfitting | Rarely overfits | Can overfit noisy data",
            "Examples | Random Forest | AdaBoost, Gradient Boosting, XGBoost"], QuotedLines(answer)[..6]);
        Assert.DoesNotContain(TutorAnswerTextLeftOut, answer.Text, StringComparison.Ordinal);
    }

    /// <summary>A table of more rows than an answer quotes one by one, and more than fit its length whole.</summary>
    private static readonly Chunk Losses = MakeChunk("losses.md", 10, "Loss functions",
        "| Loss | Formula | Use case |",
        "|---|---|---|",
        "| MSE | mean of squared errors | Regression with Gaussian noise |",
        "| MAE | mean of absolute errors | Regression with outliers |",
        "| Huber | squared near zero, absolute further out | Robust regression |",
        "| Cross-entropy | negative log-likelihood of the true class | Multi-class classification |",
        "| Hinge | max(0, 1 - y·ŷ) | SVM classification |",
        "| Focal | down-weights easy examples | Object detection with class imbalance |",
        "| KL divergence | expected log ratio of two distributions | Matching distributions, distillation |",
        "| Contrastive | pulls similar pairs together, pushes others apart | Siamese networks |",
        "| Triplet | anchor closer to positive than negative by a margin | Metric learning, face recognition |");

    [Fact]
    public async Task A_table_row_quoted_without_the_rest_of_its_table_marks_the_rows_left_out()
    {
        var answer = await Answerer.AnswerAsync(Context("Which loss is used for SVM classification?", Losses), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        Assert.Contains("Hinge | max(0, 1 - y·ŷ) | SVM classification", quotes);
        Assert.Equal("Loss | Formula | Use case", quotes[0]);
        Assert.Contains(TutorAnswerTextLeftOut, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_of_one_table_that_each_answer_are_quoted_side_by_side()
    {
        var answer = await Answerer.AnswerAsync(Context("Which losses are used for regression?", Losses), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        Assert.True(quotes.Count(q => q.Contains("egression", StringComparison.Ordinal)) >= 2, answer.Text);
        Assert.Equal("Loss | Formula | Use case", quotes[0]);
    }

    [Fact]
    public async Task A_paragraph_scoring_as_well_as_its_best_sentence_is_quoted_whole_so_its_catch_is_not_lost()
    {
        var seq2seq = MakeChunk("cards.md", 1700, "Deep learning › Interview questions",
            "**Q: What is teacher forcing?**",
            "",
            "A: In seq2seq training, the decoder gets the ground truth previous token as input instead of its own prediction. "
                + "Faster, more stable training. Problem: exposure bias (at inference the model sees its own predictions, a different distribution).",
            "",
            "**Q: What is beam search?**",
            "",
            "A: Keep the k best partial sequences at each decoding step instead of only the best one.");

        var answer = await Answerer.AnswerAsync(Context("what is teacher forcing in seq2seq training and is there a drawback?", seq2seq), AnswerStyle.Tutor);

        // Its first sentence answers only the first half; the paragraph's last sentence is the drawback asked for.
        Assert.Equal(["In seq2seq training, the decoder gets the ground truth previous token as input instead of its own prediction.",
            "Faster, more stable training.",
            "Problem: exposure bias (at inference the model sees its own predictions, a different distribution)."], QuotedLines(answer));
        Assert.Equal((1702, 1702), (Assert.Single(answer.Citations).StartLine, answer.Citations[0].EndLine));
    }

    [Fact]
    public async Task A_plain_text_entry_title_ends_the_paragraph_before_it()
    {
        var optimizers = MakeChunk("encyclopedia.txt", 130, "Optimization › Gradient Descent Family",
            "Adam — Adaptive Moment Estimation",
            "Default: $\\beta_1=0.9$, $\\beta_2=0.999$. Most widely used optimizer.",
            "EvoLved Sign Momentum (2023)",
            "Uses sign of gradient. Memory-efficient (1 state vs Adam's 2). Competitive with AdamW on large models.");

        var answer = await Answerer.AnswerAsync(Context("Which optimizer keeps less state than Adam, and what does it use from the gradient?", optimizers),
            AnswerStyle.Tutor);

        // The entry is quoted whole, and only the entry: read as one paragraph with the lines above it, the next entry's
        // title would be quoted as if it were a sentence about Adam.
        var quotes = QuotedLines(answer);
        var entry = quotes.IndexOf("Uses sign of gradient.");
        Assert.True(entry >= 0, answer.Text);
        Assert.Equal(["Uses sign of gradient.", "Memory-efficient (1 state vs Adam's 2).", "Competitive with AdamW on large models."],
            quotes.Skip(entry).Take(3));
        Assert.DoesNotContain("EvoLved Sign Momentum (2023)", quotes);
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

    // Each metric is named in bold with its formula, then said of in a list whose first item is a question: under the
    // first, one more item; under the second, two.
    private static readonly Chunk Metrics = MakeChunk("metrics.md", 200, "Evaluation › Classifier metrics",
        "**Specificity:** $TN / (TN + FP)$",
        "",
        "- \"Of the true negatives, how many did the model leave alone?\"",
        "- Matters most: when false alarms cost a lot, as for a fraud filter that blocks honest buyers",
        "",
        "**Sensitivity:** $TP / (TP + FN)$",
        "",
        "- \"Of the true positives, how many did the model find?\"",
        "- Matters most: when a miss costs a lot, as for screening blood samples for an infection",
        "- Traded against: specificity, as the decision threshold moves");

    [Theory]
    [InlineData("Which metric should I watch when blocking an honest buyer is the worst outcome?", "Specificity:", "- Matters most: when false alarms")]
    [InlineData("Which metric should I watch when missing a sick patient is the worst outcome?", "Sensitivity:", "- Matters most: when a miss")]
    public async Task A_list_item_under_a_term_set_in_bold_carries_the_term(string question, string term, string item)
    {
        var answer = await Answerer.AnswerAsync(Context(question, Metrics), AnswerStyle.Tutor);

        var lines = answer.Text.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith(item, StringComparison.Ordinal));
        Assert.True(at > 0, answer.Text);
        Assert.StartsWith(term, lines[at - 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_gets_both_sides_each_labelled_by_its_heading()
    {
        var init = MakeChunk("init.md", 950, "Deep learning › Weight initialization",
            "Weight initialization sets the starting scale of the weights so activations neither explode nor vanish.",
            "",
            "**Xavier/Glorot Initialization:**",
            "",
            "- Variance = $2 / (fan\\_in + fan\\_out)$",
            "- For Tanh, Sigmoid",
            "",
            "### He Initialization",
            "",
            "Variance of $2 / fan\\_in$, twice as large, because ReLU zeroes half of the activations.",
            "",
            "Rule: match the initialization to the activation function.");

        var answer = await Answerer.AnswerAsync(Context("Xavier vs He initialization: what variance does each use?", init), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        var xavier = quotes.IndexOf("Xavier/Glorot Initialization:");
        var he = quotes.IndexOf("**He Initialization**");
        Assert.True(xavier >= 0 && he > xavier, answer.Text);
        Assert.StartsWith("Variance = $2 / (fan", quotes[xavier + 1], StringComparison.Ordinal);
        Assert.StartsWith("Variance of $2 / fan", quotes[he + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_quotes_the_sentence_that_sets_the_two_sides_against_each_other()
    {
        var penalties = MakeChunk("penalties.md", 300, "Regularization › L1 and L2 penalties",
            "**L1 Regularization (Lasso):**",
            "",
            "- Penalty = $\\lambda \\sum |w|$",
            "- Sets some weights exactly to zero",
            "- Works as a feature selector",
            "",
            "**L2 Regularization (Ridge):**",
            "",
            "- Penalty = $\\lambda \\sum w^2$",
            "- Shrinks every weight toward zero without reaching it",
            "- Usually the better default");
        var elasticNet = MakeChunk("penalties.md", 320, "Regularization › Elastic net",
            "#### Elastic Net",
            "",
            "- Adds both penalties to the loss:",
            "",
            "$$L = L_0 + \\lambda_1 \\sum_j |w_j| + \\lambda_2 \\sum_j w_j^2$$",
            "",
            "- Trades sparsity against small weights.",
            "- Mixes the L1 and L2 terms by one ratio.",
            "",
            "- Q: How do the two penalties differ? A: L1 selects features while L2 shrinks them all.");
        var answer = await Answerer.AnswerAsync(
            Context("L1 vs L2 penalty: what actually happens to the weights under each one?", penalties, elasticNet), AnswerStyle.Tutor);

        // Each side's own list answers it; the card's one line says how they differ, and without it the answer never does.
        var quotes = QuotedLines(answer);
        Assert.Contains("L1 Regularization (Lasso):", quotes);
        Assert.Contains("L2 Regularization (Ridge):", quotes);
        Assert.Contains("L1 selects features while L2 shrinks them all.", quotes);
    }

    [Fact]
    public async Task An_item_of_a_list_whose_items_each_name_their_term_is_quoted_alone_like_a_row()
    {
        var networks = MakeChunk("vision.md", 60, "Vision › Convolutional networks",
            "**Well-known designs**",
            "",
            "- LeNet-5 (1998): a small net that read handwritten zip codes for the postal service",
            "- AlexNet (2012): eight layers trained on two GPUs; it won ImageNet and made ReLU and dropout common",
            "- VGG (2014): only 3x3 filters, stacked sixteen or nineteen layers deep",
            "- ResNet (2015): identity shortcuts around every two layers, so that very deep stacks still train",
            "- MobileNet (2017): depthwise separable convolutions that fit a phone's budget");

        var answer = await Answerer.AnswerAsync(Context("What network won the ImageNet contest in 2012 and what did it make common?", networks), AnswerStyle.Tutor);

        // Each item says what it is about, so the one asked for answers alone; the rest of the list is about other networks.
        var quotes = QuotedLines(answer);
        Assert.True(quotes.Any(q => q.StartsWith("AlexNet (2012):", StringComparison.Ordinal)), answer.Text);
        Assert.False(quotes.Any(q => q.StartsWith("VGG", StringComparison.Ordinal) || q.StartsWith("ResNet", StringComparison.Ordinal)), answer.Text);

        // Two items asked for are quoted side by side, as two rows of a table are: neither stands for the other.
        var two = await Answerer.AnswerAsync(
            Context("ResNet's identity shortcuts and MobileNet's depthwise separable convolutions: what are they for?", networks), AnswerStyle.Tutor);
        var quotedTwo = QuotedLines(two);
        Assert.True(quotedTwo.Any(q => q.StartsWith("ResNet (2015):", StringComparison.Ordinal))
                    && quotedTwo.Any(q => q.StartsWith("MobileNet (2017):", StringComparison.Ordinal)), two.Text);
    }

    [Fact]
    public async Task An_item_naming_a_facet_of_its_topic_goes_with_its_list()
    {
        var softmax = MakeChunk("activations.md", 120, "Activations › Output layers",
            "**Softmax:**",
            "",
            "- Formula: $\\sigma(z)_i = e^{z_i} / \\sum_j e^{z_j}$",
            "- Output: positive scores that sum to one, read as class probabilities",
            "- Use: the last layer of a classifier over several exclusive classes",
            "- Problem: large logits overflow unless the largest is subtracted first");

        var answer = await Answerer.AnswerAsync(Context("What is the softmax function?", softmax), AnswerStyle.Tutor);

        // "Formula:" and "Use:" name sides of softmax, not terms of the question: they say what it is only together.
        var quotes = QuotedLines(answer);
        Assert.Equal(["Formula", "Output", "Use", "Problem"],
            quotes.Where(q => q.Contains(": ", StringComparison.Ordinal) && !q.StartsWith("Softmax", StringComparison.Ordinal)).Select(q => q[..q.IndexOf(':')]));
        Assert.DoesNotContain(TutorAnswerTextLeftOut, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_over_an_exported_card_page_labels_each_side_by_its_card_title()
    {
        // Each card: its title, its text, then its badge, which the export runs into the next card's title.
        var losses = MakeChunk("cards.txt", 101, "Encyclopedia › Loss Functions",
            "Loss Functions",
            "Mean Squared Error (MSE)",
            "Penalizes large errors quadratically. Assumes Gaussian noise.",
            "📊 RegressionMAE / L1 Loss",
            "Robust to outliers. Assumes Laplace noise.",
            "📊 Robust RegressionHuber Loss",
            "Quadratic for small errors, linear for large ones.");

        var answer = await Answerer.AnswerAsync(Context("MSE vs MAE: which noise does each assume?", losses), AnswerStyle.Tutor);

        // Without the card titles both sides' sentences would read as one card's: "Assumes Laplace noise." under MSE.
        var quotes = QuotedLines(answer);
        var mse = quotes.FindIndex(q => q.Contains("Mean Squared Error (MSE)", StringComparison.Ordinal));
        var mae = quotes.FindIndex(q => q.Contains("📊 RegressionMAE / L1 Loss", StringComparison.Ordinal));
        var laplace = quotes.FindIndex(q => q.Contains("Laplace", StringComparison.Ordinal));
        Assert.True(mse >= 0 && mae > mse && laplace > mae, answer.Text);
    }

    [Fact]
    public async Task A_formula_question_is_not_answered_by_symbols_in_running_text_when_a_passage_states_the_formula()
    {
        var definition = MakeChunk("gan.md", 3640, "GANs › Definition",
            "A GAN pits two networks against each other in a minimax game:",
            "- G learns to map random noise $z \\sim p_z$ to realistic samples $G(z)$.",
            "- D learns to tell real data $x \\sim p_{data}$ from the samples $G(z)$.");
        var training = MakeChunk("vision.md", 805, "Computer vision › Image generation › GANs",
            "**Training:** Adversarial game",
            "",
            "**Loss:**",
            "",
            "$$\\min_G \\max_D V(D,G) = E[\\log D(x)] + E[\\log(1 - D(G(z)))]$$");

        var answer = await Answerer.AnswerAsync(Context("write down the minimax objective that GANs optimize", definition, training), AnswerStyle.Tutor);

        // "$z \sim p_z$" in a sentence is a symbol, not the objective: the formula is quoted, and cited at its line.
        Assert.Contains("\\min_G \\max_D V(D,G)", answer.Text, StringComparison.Ordinal);
        Assert.Contains(answer.Citations, c => c.File == "vision.md" && c.StartLine <= 809 && 809 <= c.EndLine);
    }

    [Fact]
    public async Task A_formula_question_gets_the_formula_it_names_not_a_neighbouring_one()
    {
        var metrics = MakeChunk("metrics.md", 1050, "Evaluation › Classification metrics",
            "F1 Score: $2 \\times (\\text{Precision} \\times \\text{Recall}) / (\\text{Precision} + \\text{Recall})$",
            "- Harmonic mean of precision and recall",
            "",
            "Accuracy: $(TP + TN) / (TP + TN + FP + FN)$",
            "",
            "Specificity: $TN / (TN + FP)$",
            "- The share of actual negatives that are found");

        var answer = await Answerer.AnswerAsync(Context("What is the formula for specificity?", metrics), AnswerStyle.Tutor);

        Assert.Contains(QuotedLines(answer), q => q.StartsWith("Specificity: $TN / (TN + FP)$", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_definition_question_gets_the_defining_sentence_first()
    {
        var dropout = MakeChunk("regularization.md", 900, "Regularization › Dropout",
            "Why It Matters:",
            "- Large networks co-adapt their units and overfit small data sets.",
            "",
            "Dropout is a regularization technique that randomly zeroes a share of the activations at every training step.",
            "",
            "At inference all units are kept and the outputs are scaled to match the expected training activations.");

        var answer = await Answerer.AnswerAsync(Context("What is dropout?", dropout), AnswerStyle.Tutor);

        var quotes = QuotedLines(answer);
        Assert.StartsWith("Dropout is a regularization technique", quotes[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Why It Matters:", quotes);
    }

    [Fact]
    public async Task A_question_asking_how_many_gets_the_unit_that_counts_them()
    {
        var heads = MakeChunk("attention.md", 480, "Transformers › Multi-head attention",
            "Idea: run several attention mechanisms in parallel, each learning different relationships between tokens.",
            "",
            "Why?",
            "",
            "- One head might learn syntactic relationships",
            "- Another head might learn semantic relationships",
            "",
            "Implementation:",
            "",
            "",
            "- 8 heads × 64 dimensions = 512 total dimensions",
            "- The heads are concatenated and projected by a linear layer");

        var answer = await Answerer.AnswerAsync(Context("How many attention heads does multi-head attention use, and how big is each head?", heads),
            AnswerStyle.Tutor);

        Assert.Contains("8 heads × 64 dimensions", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Xavier vs He init, which one goes with which activation?", QuestionKind.Comparison)]
    [InlineData("What is the difference between bagging and boosting?", QuestionKind.Comparison)]
    [InlineData("Write down the Adam update equations.", QuestionKind.Formula)]
    [InlineData("Why does batch normalization help?", QuestionKind.Why)]
    [InlineData("Why does the derivative of the sigmoid vanish for large inputs?", QuestionKind.Why)]
    [InlineData("How many parameters does the formula for a conv layer count?", QuestionKind.Quantity)]
    [InlineData("walk me through how k-fold cross validation is carried out, step by step", QuestionKind.How)]
    [InlineData("What are the main downsides of bag of words?", QuestionKind.List)]
    [InlineData("What is teacher forcing?", QuestionKind.Definition)]
    [InlineData("how many attention heads does the standard setup use, and how big is each head?", QuestionKind.Quantity)]
    public void The_kind_of_a_question_is_read_from_its_wording(string question, QuestionKind kind) =>
        Assert.Equal(kind, QuestionKinds.Of(question));

    [Theory]
    [InlineData("Xavier vs He initialization: what variance does each use?", "Xavier", "He")]
    [InlineData("What is the difference between bagging and boosting?", "bagging", "boosting")]
    [InlineData("How does clipping gradients by value differ from clipping them by norm?", "clipping gradients by value", "clipping them by norm")]
    [InlineData("How is GloVe different from word2vec in the way it learns word vectors?", "GloVe", "word2vec")]
    [InlineData("How does top-p sampling work, and how is it different from top-k sampling?", null, null)]
    [InlineData("What is dropout?", null, null)]
    public void The_two_sides_of_a_comparison_are_read_from_its_wording(string question, string? a, string? b) =>
        Assert.Equal(a is null ? null : (a, b!), QuestionKinds.Sides(question));
}
