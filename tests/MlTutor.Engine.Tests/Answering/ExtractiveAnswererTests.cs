using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;

namespace MlTutor.Tests.Answering;

public class ExtractiveAnswererTests
{
    private static readonly Chunk Fitting = MakeChunk("fitting.md", 40, "ML Notes › Underfitting and overfitting",
        "## Underfitting and overfitting",
        "",
        "**Underfitting** happens when a model is too simple to capture the pattern, e.g. a line through a parabola. It performs poorly on both training and test sets.",
        "- Model has high bias and low variance.",
        "- Fix: increase model complexity, train longer, add features.",
        "",
        "**Overfitting** happens when the model memorises noise in the training data. Training error is low but test error is high.",
        "- Fix: regularization, early stopping, more data, dropout.");

    private static readonly Chunk Cards = MakeChunk("cards.md", 100, "Machine Learning 101",
        "What is the learning rate in gradient descent?",
        "",
        "???",
        "",
        "The learning rate η scales each step: θ ← θ − η∇J(θ), with η ≈ 0.01 or 3e-4 in practice.",
        "A rate that is too large makes the loss diverge.",
        "A rate that is too small makes training crawl.");

    private static readonly Chunk Table = MakeChunk("script.md", 300, "Overfitting and underfitting",
        "Problem\tSolutions",
        "Underfitting\tIncrease model complexity, train longer, add features",
        "Overfitting\tUse regularization, early stopping, more data, dropout, simpler model");

    [Fact]
    public async Task Answer_quotes_the_relevant_sentence_with_a_marker_and_a_citation_narrowed_to_its_line()
    {
        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("What happens when a learning rate is too large?", Cards, Fitting), AnswerStyle.Tutor);

        Assert.False(answer.NotCovered);
        var quotes = Quotes(answer.Text);
        Assert.Contains(quotes, q => q.Sentence == "A rate that is too large makes the loss diverge." && q.N == 1);
        var citation = Assert.Single(answer.Citations, c => c.N == 1);
        Assert.Equal(("cards.md", "cards.md#100", "Machine Learning 101"), (citation.File, citation.ChunkId, citation.HeadingPath));
        // The flashcard question at line 100 is not quoted, so the citation starts at the answer's lines.
        Assert.True(citation.StartLine >= 104, $"citation {citation.StartLine}-{citation.EndLine} should skip the question");
        Assert.InRange(105, citation.StartLine, citation.EndLine);
        AssertHonest(answer, Cards, Fitting);
    }

    [Fact]
    public async Task Every_marker_has_a_citation_numbered_in_order_of_use_and_covering_exactly_the_quoted_lines()
    {
        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("How do I fix underfitting, and what are bias and variance then?", Fitting, Table, Cards), AnswerStyle.Tutor);

        Assert.False(answer.NotCovered);
        Assert.Contains(Quotes(answer.Text), q => q.Sentence == "Model has high bias and low variance." && q.N == 1);
        Assert.Equal(Enumerable.Range(1, answer.Citations.Count), answer.Citations.Select(c => c.N));
        Assert.Equal(Enumerable.Range(1, answer.Citations.Count), Quotes(answer.Text).Select(q => q.N).Distinct());
        AssertHonest(answer, Fitting, Table, Cards);
    }

    [Fact]
    public async Task Tab_table_rows_are_quoted_as_rows_with_the_row_line_cited()
    {
        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("which solutions help against overfitting: regularization, dropout?", Table), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text);
        var row = quotes.FindIndex(q => q.Sentence == "Overfitting | Use regularization, early stopping, more data, dropout, simpler model");
        // The header row names the columns: it comes with the row, never on its own.
        Assert.True(row > 0, answer.Text);
        Assert.Equal("Problem | Solutions", quotes[0].Sentence);
        Assert.Equal((300, 302), (answer.Citations[0].StartLine, answer.Citations[0].EndLine));
        AssertHonest(answer, Table);
    }

    [Fact]
    public async Task Not_covered_context_says_so_and_cites_nothing()
    {
        var context = new RetrievedContext("How do I bake sourdough bread?", [new ScoredChunk(Fitting, 0.05f)], NotCovered: true);
        foreach (var style in new[] { AnswerStyle.Tutor, AnswerStyle.Interviewer })
        {
            var answer = await new ExtractiveAnswerer().AnswerAsync(context, style);
            Assert.True(answer.NotCovered);
            Assert.Empty(answer.Citations);
            Assert.Contains("notes do not cover", answer.Text);
            Assert.Contains("rephras", answer.Text);
            Assert.DoesNotContain("[1]", answer.Text);
        }
    }

    [Fact]
    public async Task Interviewer_answers_in_parts_from_the_notes_without_restating_the_question_or_a_generic_follow_up()
    {
        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("How would you fix underfitting?", Fitting, Cards), AnswerStyle.Interviewer);

        var lines = answer.Text.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("An interviewer would ask", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Fix: increase model complexity, train longer, add features. [1]", StringComparison.Ordinal));
        // No question bank was given: no follow-up rather than one of the tutor's own making.
        Assert.DoesNotContain("Follow-up", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("project you worked on", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sentence_embedder_decides_the_ranking_when_given()
    {
        // Words for the same idea share a dimension here, so the embedder finds what shared words cannot.
        string[][] concepts = [["diverge", "blow", "explod"], ["crawl", "slow"], ["bias"], ["memoris", "noise"]];
        float[][] Embed(IReadOnlyList<string> texts) => texts
            .Select(t => concepts.Select(c => c.Any(w => t.Contains(w, StringComparison.OrdinalIgnoreCase)) ? 1f : 0f).Append(0.01f).ToArray())
            .ToArray();
        var calls = 0;
        var answerer = new ExtractiveAnswerer(texts => { calls++; return Embed(texts); });

        var answer = await answerer.AnswerAsync(Context("Why does my loss blow up?", Cards, Fitting), AnswerStyle.Tutor);

        // Two batches: the question with every unit alone, then the best units read in place.
        Assert.Equal(2, calls);
        Assert.Equal("A rate that is too large makes the loss diverge.", Quotes(answer.Text)[0].Sentence);
        AssertHonest(answer, Cards, Fitting);
    }

    [Fact]
    public async Task An_embedder_returning_the_wrong_number_of_vectors_is_reported_clearly()
    {
        var answerer = new ExtractiveAnswerer(_ => [[1f, 0f]]);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            answerer.AnswerAsync(Context("what is underfitting?", Fitting), AnswerStyle.Tutor));
        Assert.Contains("one vector per text", e.Message);
    }

    [Fact]
    public async Task The_answer_stays_short()
    {
        var answer = await new ExtractiveAnswerer(characterBudget: 200).AnswerAsync(
            Context("underfitting overfitting training test bias variance fix", Fitting, Table), AnswerStyle.Tutor);
        var quotes = Quotes(answer.Text);
        Assert.InRange(quotes.Count, 1, ExtractiveAnswerer.MaxSentences);
        Assert.True(quotes.Skip(1).Sum(q => q.Sentence.Length) + quotes[0].Sentence.Length <= 200 + 10, answer.Text);
    }

    private static readonly Chunk Regression = MakeChunk("regression.md", 200, "Linear Regression",
        "Linear regression fits a line through the points by least squares.",
        "Closed-form (Normal Equation):",
        "",
        "$$\\mathbf{W} = (\\mathbf{X}^{\\top}\\mathbf{X})^{-1}\\mathbf{X}^{\\top}\\mathbf{y}$$",
        "",
        "Gradient descent reaches the same weights iteratively when the matrix is too large to invert.");

    [Fact]
    public async Task A_lead_in_is_quoted_with_the_display_formula_it_announces_whole()
    {
        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("What is the closed-form normal equation for the weights?", Regression, Fitting), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text);
        var leadIn = quotes.FindIndex(q => q.Sentence == "Closed-form (Normal Equation):");
        Assert.True(leadIn >= 0, answer.Text);
        Assert.Equal("$$\\mathbf{W} = (\\mathbf{X}^{\\top}\\mathbf{X})^{-1}\\mathbf{X}^{\\top}\\mathbf{y}$$", quotes[leadIn + 1].Sentence);
        var citation = answer.Citations.Single(c => c.N == quotes[leadIn].N);
        Assert.True(citation.StartLine <= 201 && citation.EndLine >= 203, $"citation {citation.StartLine}-{citation.EndLine} must span lead-in and formula");
        AssertHonest(answer, Regression, Fitting);
    }

    [Fact]
    public async Task A_lead_in_and_its_formula_apart_by_several_empty_lines_are_still_quoted_together()
    {
        // Notes converted from other formats often leave a few empty lines where a formula's block began.
        var notes = MakeChunk("gan.md", 800, "Deep learning › GANs",
            "Two networks play a game: a generator makes fakes and a discriminator tells them from real data.",
            "",
            "**Loss:**",
            "",
            "",
            "",
            "$$\\min_G \\max_D V(D,G) = E[\\log D(x)] + E[\\log(1 - D(G(z)))]$$",
            "",
            "**Problems:**",
            "",
            "- Mode collapse");
        float[][] Embed(IReadOnlyList<string> texts) => texts
            .Select(t => new[] { t.Contains("min_G", StringComparison.Ordinal) || t.Contains("GAN loss", StringComparison.Ordinal) ? 1f : 0f, 0.05f })
            .ToArray();

        var answer = await new ExtractiveAnswerer(Embed).AnswerAsync(Context("GAN loss", notes), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text);
        Assert.Equal("Loss:", quotes[0].Sentence);
        Assert.StartsWith("$$\\min_G", quotes[1].Sentence, StringComparison.Ordinal);
        Assert.Equal((802, 806), (answer.Citations[0].StartLine, answer.Citations[0].EndLine));
        AssertHonest(answer, notes);
    }

    [Fact]
    public async Task A_formula_question_gets_the_formula_after_the_words_that_match_it_not_a_better_named_neighbour()
    {
        // The words that say what a formula computes come before it; the TeX itself matches no question. The next
        // formula's lead-in shares more of the question's words, but it is not the formula asked for.
        var notes = MakeChunk("schedules.md", 500, "Training › Learning-rate schedules",
            "Cosine annealing lowers the learning rate along a cosine curve from its initial value to a minimum. It suits cyclic training with warm restarts.",
            "",
            "$$\\eta_t = \\eta_{min} + \\frac{1}{2}(\\eta_{max} - \\eta_{min})(1 + \\cos(\\frac{T_{cur}}{T_{max}}\\pi))$$",
            "",
            "Schedule formula for exponential decay:",
            "",
            "$$\\eta_t = \\eta_0 \\cdot \\exp(-k t)$$");
        float[][] Embed(IReadOnlyList<string> texts) => texts
            .Select(t => new[] { t.Contains("cosine", StringComparison.Ordinal) ? 1f : 0f, 0.05f })
            .ToArray();

        var answer = await new ExtractiveAnswerer(Embed).AnswerAsync(Context("Write down the cosine annealing schedule formula.", notes), AnswerStyle.Tutor);

        Assert.Equal(["Cosine annealing lowers the learning rate along a cosine curve from its initial value to a minimum.",
            "It suits cyclic training with warm restarts.",
            "$$\\eta_t = \\eta_{min} + \\frac{1}{2}(\\eta_{max} - \\eta_{min})(1 + \\cos(\\frac{T_{cur}}{T_{max}}\\pi))$$"],
            Quotes(answer.Text).Select(q => q.Sentence));
        Assert.Equal((500, 502), (answer.Citations[0].StartLine, answer.Citations[0].EndLine));
        AssertHonest(answer, notes);
    }

    [Fact]
    public async Task A_formula_quoted_beside_its_words_is_not_joined_by_a_neighbouring_formula_named_a_little_better()
    {
        // The exponential density's lead-in shares more of the question's words than anything around the Poisson formula,
        // which its own TeX does not name: it would be added as "the formula the question names" on top.
        var notes = MakeChunk("probability.md", 40, "Probability › Distributions",
            "The Poisson distribution counts events in a fixed interval.",
            "",
            "$$P(k) = \\frac{\\lambda^k e^{-\\lambda}}{k!}$$",
            "",
            "Exponential probability formula for waiting times:",
            "",
            "$$f(x) = \\lambda e^{-\\lambda x}$$");
        float[][] Embed(IReadOnlyList<string> texts) => texts
            .Select(t => t.Contains("Poisson", StringComparison.Ordinal) ? new[] { 1f, 0f }
                : t.Contains("Exponential", StringComparison.Ordinal) ? new[] { 0.65f, 0.76f } : new[] { 0f, 1f })
            .ToArray();

        var answer = await new ExtractiveAnswerer(Embed).AnswerAsync(Context("Write down the Poisson probability formula.", notes), AnswerStyle.Tutor);

        Assert.Equal(["The Poisson distribution counts events in a fixed interval.", "$$P(k) = \\frac{\\lambda^k e^{-\\lambda}}{k!}$$"],
            Quotes(answer.Text).Select(q => q.Sentence));
        AssertHonest(answer, notes);
    }

    [Fact]
    public async Task An_answer_keeps_to_the_best_passage_unless_another_passage_says_something_clearly_as_close()
    {
        // The same fact from a lower-ranked note, said a little less closely, only adds words to read.
        var ranked = MakeChunk("dl.md", 10, "Deep learning › Dropout", "Dropout randomly zeroes activations during training.");
        var lower = MakeChunk("script.md", 900, "Regularization", "Dropout switches off random neurons while the network trains.");
        var paraphrase = 0.89f;
        float[][] Embed(IReadOnlyList<string> texts) => texts
            .Select(t => t.Contains("switches off", StringComparison.Ordinal) ? new[] { paraphrase, MathF.Sqrt(1 - paraphrase * paraphrase) } : new[] { 1f, 0f })
            .ToArray();
        async Task<List<string>> Quoted() => Quotes((await new ExtractiveAnswerer(Embed).AnswerAsync(
            Context("What does dropout do?", ranked, lower), AnswerStyle.Tutor)).Text).Select(q => q.Sentence).ToList();

        Assert.Equal(["Dropout randomly zeroes activations during training."], await Quoted());

        // Said as closely, it is quoted too: the answer leans on retrieval's order, it does not ignore the other notes.
        paraphrase = 0.99f;
        Assert.Equal(["Dropout randomly zeroes activations during training.", "Dropout switches off random neurons while the network trains."],
            await Quoted());
    }

    [Fact]
    public async Task A_lead_in_with_nothing_after_it_and_a_title_line_are_never_quoted()
    {
        var notes = MakeChunk("rnn.txt", 40, "Recurrent Neural Network (RNN)",
            "11. Recurrent Neural Network Models",
            "Recurrent networks keep a hidden state that carries information from earlier time steps.",
            "Hidden state update at time $t$:",
            "Output at time $t$:",
            "BPTT (Backpropagation Through Time)",
            "Backpropagation through time unrolls the recurrent network over the sequence.");
        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("What is the hidden state update of a recurrent network at time t?", notes), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text);
        Assert.DoesNotContain(quotes, q => q.Sentence.EndsWith(':'));
        Assert.DoesNotContain(quotes, q => q.Sentence.Contains("Network Models", StringComparison.Ordinal));
        Assert.Contains(quotes, q => q.Sentence.StartsWith("Recurrent networks keep a hidden state", StringComparison.Ordinal));
        AssertHonest(answer, notes);
    }

    [Fact]
    public async Task A_formula_chosen_by_the_embedder_brings_its_lead_in_along()
    {
        // The embedder here only recognises the formula's symbols, so the formula alone ranks first.
        float[][] Embed(IReadOnlyList<string> texts) => texts
            .Select(t => new[] { t.Contains("mathbf{W}", StringComparison.Ordinal) || t.Contains("weights formula", StringComparison.Ordinal) ? 1f : 0f, 0.05f })
            .ToArray();
        var answer = await new ExtractiveAnswerer(Embed).AnswerAsync(Context("weights formula", Regression), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text);
        Assert.Equal("Closed-form (Normal Equation):", quotes[0].Sentence);
        Assert.StartsWith("$$", quotes[1].Sentence, StringComparison.Ordinal);
        Assert.Equal((201, 203), (answer.Citations[0].StartLine, answer.Citations[0].EndLine));
        AssertHonest(answer, Regression);
    }

    [Fact]
    public async Task A_formula_finishing_the_sentence_above_it_is_quoted_with_that_sentence()
    {
        var entropy = MakeChunk("entropy.md", 3306, "Loss functions › Cross Entropy",
            "Cross-entropy measures the disparity between the true distribution p and the predicted distribution q.",
            "",
            "When p is one-hot (say class t), this simplifies to",
            "",
            " $H(p,q) = -\\log q_t$ ");

        var quotes = await QuotedBy("When p is one-hot, what does cross-entropy simplify to?", entropy);

        var leadIn = quotes.IndexOf("When p is one-hot (say class t), this simplifies to");
        Assert.True(leadIn >= 0 && leadIn + 1 < quotes.Count && quotes[leadIn + 1] == "$H(p,q) = -\\log q_t$", string.Join(" / ", quotes));
    }

    [Theory]
    [InlineData(AnswerStyle.Tutor)]
    [InlineData(AnswerStyle.Interviewer)]
    public async Task A_number_in_brackets_inside_a_quoted_formula_does_not_read_as_a_citation_marker(AnswerStyle style)
    {
        var broadcasting = MakeChunk("numpy.md", 50, "NumPy › Broadcasting",
            "Broadcasting stretches the smaller array to the shape of the larger one before adding them:",
            "$$[3, 4] + [1] \\rightarrow [4, 5]$$");

        var answer = await new ExtractiveAnswerer().AnswerAsync(
            Context("How does broadcasting add arrays of different shapes?", broadcasting), style);

        // TeX typesets [{1}] as [1]; written bare it would be a second marker [1] in the middle of the formula.
        Assert.Contains("$$[3, 4] + [{1}] \\rightarrow [4, 5]$$", answer.Text);
        if (style == AnswerStyle.Tutor) AssertHonest(answer, broadcasting);
    }

    /// <summary>
    /// Every quoted piece is in the notes (modulo whitespace and emphasis), in the passage its marker names,
    /// and the citation spans exactly the lines of the pieces it backs.
    /// </summary>
    private static void AssertHonest(Answer answer, params Chunk[] chunks)
    {
        var quotes = Quotes(answer.Text);
        Assert.NotEmpty(quotes);
        foreach (var group in quotes.GroupBy(q => q.N))
        {
            var citation = Assert.Single(answer.Citations, c => c.N == group.Key);
            var chunk = Assert.Single(chunks, c => c.Id == citation.ChunkId);
            foreach (var (sentence, _) in group)
                Assert.Contains(Squash(sentence), Squash(chunk.Text));
            var spans = group.Select(q => LinesOf(chunk, q.Sentence)).ToList();
            Assert.Equal((spans.Min(s => s.First), spans.Max(s => s.Last)), (citation.StartLine, citation.EndLine));
        }
        Assert.Equal(answer.Citations.Count, quotes.Select(q => q.N).Distinct().Count());
    }

    // Sentences that open with "This", "It", "These": which piece, if any, they bring along.

    private static async Task<List<string>> QuotedBy(string question, params Chunk[] chunks) =>
        Quotes((await new ExtractiveAnswerer().AnswerAsync(Context(question, chunks), AnswerStyle.Tutor)).Text).Select(q => q.Sentence).ToList();

    [Fact]
    public async Task A_sentence_that_points_back_brings_the_line_before_it_and_the_citation_covers_both()
    {
        var svm = MakeChunk("svm.md", 10, "SVM › Kernels",
            "A kernel computes a dot product in a high-dimensional feature space without transforming the data.",
            "This is known as the kernel trick.");
        var answer = await new ExtractiveAnswerer().AnswerAsync(Context("What is the kernel trick?", svm), AnswerStyle.Tutor);

        Assert.Equal(["A kernel computes a dot product in a high-dimensional feature space without transforming the data.",
            "This is known as the kernel trick."], Quotes(answer.Text).Select(q => q.Sentence));
        var citation = Assert.Single(answer.Citations);
        Assert.Equal((10, 11), (citation.StartLine, citation.EndLine));
    }

    [Fact]
    public async Task A_sentence_that_points_back_across_the_blank_line_below_a_formula_brings_the_formula()
    {
        var diffusion = MakeChunk("diffusion.md", 50, "Diffusion models › Training",
            "The network is trained on noised images at random steps.",
            "",
            "$$L = \\mathbb{E}_{x_0,\\epsilon,t}[||\\epsilon - \\epsilon_{\\theta}(x_t,t)||^2]$$",
            "",
            "• This is a simple MSE loss between the actual noise and the predicted noise.");

        var answer = await new ExtractiveAnswerer().AnswerAsync(Context("What MSE loss do diffusion models minimize?", diffusion), AnswerStyle.Tutor);

        Assert.Equal(["$$L = \\mathbb{E}_{x_0,\\epsilon,t}[||\\epsilon - \\epsilon_{\\theta}(x_t,t)||^2]$$",
            "This is a simple MSE loss between the actual noise and the predicted noise."], Quotes(answer.Text).Select(q => q.Sentence));
        Assert.Equal((52, 54), (Assert.Single(answer.Citations).StartLine, answer.Citations[0].EndLine));

        // Across a rule, the sentence is no longer the formula's: it begins something else.
        var ruled = MakeChunk("diffusion.md", 50, "Diffusion models › Training",
            "$$L = \\mathbb{E}_{x_0,\\epsilon,t}[||\\epsilon - \\epsilon_{\\theta}(x_t,t)||^2]$$",
            "",
            "---",
            "",
            "This is a simple MSE loss between the actual noise and the predicted noise.");
        var alone = await new ExtractiveAnswerer().AnswerAsync(Context("What MSE loss do diffusion models minimize?", ruled), AnswerStyle.Tutor);
        Assert.Equal(["This is a simple MSE loss between the actual noise and the predicted noise."], Quotes(alone.Text).Select(q => q.Sentence));
    }

    [Fact]
    public async Task A_sentence_that_points_back_is_judged_by_its_own_words()
    {
        var svm = MakeChunk("svm.md", 10, "SVM › Kernels",
            "A kernel computes a dot product in a high-dimensional feature space without transforming the data.",
            "It was first described by Aizerman and colleagues in 1964.");

        Assert.DoesNotContain(await QuotedBy("What does a kernel compute?", svm), q => q.Contains("Aizerman", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_piece_pointed_back_to_is_the_one_right_before_in_the_note_not_one_left_after_a_repeat_was_dropped()
    {
        // The better-ranked passage already holds the kernel sentence, so it is dropped from the second as a repeat:
        // "It" must not then lean on the support-vector sentence before it.
        var first = MakeChunk("other.md", 1, "Kernels", "A kernel computes a dot product in a feature space.");
        var second = MakeChunk("svm.md", 20, "SVM",
            "Support vectors are the training points closest to the margin. A kernel computes a dot product in a feature space.",
            "It lets a linear SVM fit non-linear decision boundaries cheaply.");

        var quotes = await QuotedBy("What does a kernel let a linear SVM fit?", first, second);
        Assert.Contains("It lets a linear SVM fit non-linear decision boundaries cheaply.", quotes);
        Assert.DoesNotContain(quotes, q => q.StartsWith("Support vectors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_it_that_stands_for_what_follows_brings_nothing()
    {
        var notes = MakeChunk("prep.md", 5, "Preprocessing",
            "Tokenization splits the raw text into word pieces for the vocabulary.",
            "It is important to scale features before gradient descent so that all weights learn at a similar pace.");

        var quotes = await QuotedBy("Why scale features before gradient descent?", notes);
        Assert.Contains(quotes, q => q.StartsWith("It is important to scale features", StringComparison.Ordinal));
        Assert.DoesNotContain(quotes, q => q.StartsWith("Tokenization", StringComparison.Ordinal));
    }

    [Fact]
    public async Task These_after_a_list_does_not_lean_on_the_last_item_alone()
    {
        var notes = MakeChunk("reg.md", 30, "Regularization",
            "- L1 regularization adds the absolute weights to the loss.",
            "- L2 regularization adds the squared weights to the loss.",
            "",
            "These are the two common penalties for large weights.");

        var quotes = await QuotedBy("What are the two common penalties for large weights?", notes);
        Assert.Contains("These are the two common penalties for large weights.", quotes);
        Assert.False(quotes.Any(q => q.StartsWith("L2", StringComparison.Ordinal)) && !quotes.Any(q => q.StartsWith("L1", StringComparison.Ordinal)),
            string.Join(" / ", quotes));
    }

    [Fact]
    public async Task A_chain_of_pointing_sentences_never_quotes_one_without_its_start()
    {
        var svm = MakeChunk("svm.md", 10, "SVM › Kernels",
            "A kernel computes a dot product in a high-dimensional feature space.",
            "This is known as the kernel trick.",
            "It lets a linear SVM fit non-linear boundaries cheaply.");

        var quotes = await QuotedBy("What does the kernel trick let a linear SVM fit?", svm);
        var named = quotes.IndexOf("This is known as the kernel trick.");
        Assert.True(named > 0 && quotes[named - 1].StartsWith("A kernel computes", StringComparison.Ordinal), string.Join(" / ", quotes));
        // Each piece once.
        Assert.Equal(quotes.Count, quotes.Distinct().Count());
    }
}
