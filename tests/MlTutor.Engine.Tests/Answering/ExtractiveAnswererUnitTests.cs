using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Tests.Embedding;
using Xunit;
using static MlTutor.Tests.Answering.AnswerChecks;

namespace MlTutor.Tests.Answering;

/// <summary>What an answer is made of when the question asks for math or for a list, with the real MiniLM model
/// ranking the pieces.</summary>
public class ExtractiveAnswererUnitTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    // The equation stands on its own line with no lead-in, so nothing but its TeX tells the embedder what it says.
    private static readonly Chunk Lstm = MakeChunk("lstm.md", 60, "Sequence models › LSTM",
        "The memory cell of an LSTM is updated at every time step from the previous cell and the new candidate values.",
        "",
        "The forget gate decides what the cell keeps, and the input gate decides what it writes.",
        "",
        "$$C_t = f_t \\odot C_{t-1} + i_t \\odot \\tilde{C}_t$$",
        "",
        "Gradients flow along the cell state with little decay, which is why an LSTM remembers long sequences.");

    private ExtractiveAnswerer Answerer => new(texts => encoders.Fp32.Embed(texts));

    [Fact]
    public async Task A_question_asking_for_the_equation_gets_the_formula_quoted()
    {
        var answer = await Answerer.AnswerAsync(
            Context("What's the equation for how the LSTM memory cell gets updated at each step?", Lstm), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text);
        Assert.Contains(quotes, q => q.Sentence.StartsWith("$$C_t", StringComparison.Ordinal));
        // The prose that explains it stays.
        Assert.Contains(quotes, q => q.Sentence.StartsWith("The memory cell of an LSTM", StringComparison.Ordinal));
        var citation = Assert.Single(answer.Citations);
        Assert.True(citation.StartLine <= 60 && citation.EndLine >= 64, $"citation {citation.StartLine}-{citation.EndLine} must span the quoted prose and formula");
    }

    [Fact]
    public async Task The_same_question_without_asking_for_math_is_answered_in_words()
    {
        var answer = await Answerer.AnswerAsync(
            Context("How does the LSTM memory cell get updated at each step?", Lstm), AnswerStyle.Tutor);

        Assert.DoesNotContain(Quotes(answer.Text), q => q.Sentence.StartsWith("$$", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_question_asking_how_to_compute_it_gets_the_formula_quoted()
    {
        var answer = await Answerer.AnswerAsync(
            Context("How do you compute the LSTM memory cell at each time step?", Lstm), AnswerStyle.Tutor);

        Assert.Contains(Quotes(answer.Text), q => q.Sentence.StartsWith("$$C_t", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_formula_question_answered_by_the_list_of_a_formulas_symbols_gets_the_formula_above_it()
    {
        // The first passage has a neighbouring formula under a heading that shares more of the question's words; the
        // second states the rule asked for, then a list of what its symbols are, which reads closest to the question.
        var gated = MakeChunk("gated.md", 40, "Recurrent networks › Core update equations",
            "Gates decide what the memory cell forgets and what it writes.",
            "",
            "Because $C_t = f_t \\odot C_{t-1} + i_t \\odot \\tilde{C}_t$ is a sum, gradients pass back through it with little decay.");
        var plain = MakeChunk("rnn.md", 120, "Sequence models › Elman networks",
            "Given inputs $u_1, \\dots, u_T$, it computes:",
            "",
            "$$s_t = \\tanh(W_{in} u_t + W_{rec} s_{t-1} + c)$$",
            "",
            "- u_t: what is read at step t",
            "- s_t: the state at step t",
            "- s_{t-1}: the hidden state carried over from the previous time step",
            "- W_in: matrix applied to what is read at this time step",
            "- W_rec: matrix applied to the state carried over",
            "- c: an offset",
            "",
            "The same weights serve every time step, so the network handles sequences of any length.");

        var answer = await Answerer.AnswerAsync(Context(
            "what's the update equation for the hidden state of a plain recurrent network at each time step?", gated, plain),
            AnswerStyle.Tutor);

        Assert.True(Quotes(answer.Text).Any(q => q.Sentence.StartsWith("$$s_t = \\tanh", StringComparison.Ordinal)), answer.Text);
    }

    [Fact]
    public async Task A_question_asking_how_it_is_defined_gets_the_formula_that_defines_it()
    {
        // Retrieval ranks the overview first; the definition is in the second passage, where its words alone score lower.
        var overview = MakeChunk("llm.md", 10, "Language models › Decoder-only models",
            "Decoder-only language models:",
            "- Keep just the decoder stack of the original transformer.",
            "- Use masked self-attention, so that a position sees only the positions before it.",
            "",
            "Context comes from attending over every earlier token inside the context window.");
        var masking = MakeChunk("attention.md", 300, "Attention › Causal masking",
            "Where an encoder lets every token attend to every other one, a decoder masks the scores so that token i attends only to itself and earlier tokens:",
            "",
            "$$A_{ij} = 0 \\quad \\text{if } j > i$$",
            "",
            "Generation then runs strictly left to right.");

        var answer = await Answerer.AnswerAsync(Context(
            "In a decoder-only model, how is the attention mask defined so that a position can't attend to later tokens?", overview, masking),
            AnswerStyle.Tutor);

        Assert.Contains(Quotes(answer.Text), q => q.Sentence.StartsWith("$$A_{ij} = 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_question_on_the_same_passage_embeds_only_itself_and_gets_the_same_answer()
    {
        var sent = new List<string>();
        var answerer = new ExtractiveAnswerer(texts =>
        {
            lock (sent) sent.AddRange(texts);
            return encoders.Fp32.Embed(texts);
        });
        const string question = "How does the LSTM memory cell get updated at each step?";
        var first = await answerer.AnswerAsync(Context(question, Lstm), AnswerStyle.Tutor);
        var firstCount = sent.Count;
        sent.Clear();
        var again = await answerer.AnswerAsync(Context(question, Lstm), AnswerStyle.Tutor);
        var other = await answerer.AnswerAsync(Context("Why does an LSTM remember long sequences?", Lstm), AnswerStyle.Tutor);

        Assert.True(firstCount > 3, $"the first answer embedded {firstCount} texts");
        Assert.Equal(first.Text, again.Text);
        // The passage's units were embedded for the first question; the second sends only its own text.
        Assert.Equal(["Why does an LSTM remember long sequences?"], sent);
        Assert.Contains("Gradients flow along the cell state", other.Text);
    }

    private static readonly Chunk Augmentation = MakeChunk("training.md", 120, "Training › Data augmentation",
        "Data augmentation enlarges the training set with label-preserving changes.",
        "",
        "**Image augmentation:**",
        "",
        "- Random crop",
        "- Horizontal flip",
        "- Color jitter",
        "",
        "**Text augmentation:**",
        "",
        "- Synonym replacement",
        "- Random swap",
        "- Random deletion",
        "- Back-translation (translate to another language and back)");

    [Fact]
    public async Task A_list_of_short_items_is_quoted_whole_with_its_lead_in()
    {
        var answer = await Answerer.AnswerAsync(Context("Which text augmentation techniques are there?", Augmentation), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text).Select(q => q.Sentence).ToList();
        var leadIn = quotes.IndexOf("Text augmentation:");
        Assert.True(leadIn >= 0, answer.Text);
        Assert.Equal(["Synonym replacement", "Random swap", "Random deletion", "Back-translation (translate to another language and back)"],
            quotes.Skip(leadIn + 1).Take(4));
        var citation = Assert.Single(answer.Citations);
        Assert.Equal((128, 133), (citation.StartLine, citation.EndLine));
        Assert.Equal(quotes.Count, quotes.Distinct().Count());
    }

    [Fact]
    public async Task Only_the_best_units_are_read_in_place()
    {
        // Twenty facts about training, one of them about the question: every unit is embedded alone, only the best few
        // in place.
        var lines = Enumerable.Range(1, 19).Select(i => $"Fact number {i} is about training for an unrelated topic such as databases or cooking.").ToList();
        lines.Insert(7, "Dropout randomly zeroes activations during training so that units cannot co-adapt.");
        // A paragraph each, so that the units are the twenty sentences (a paragraph of several is a unit too).
        var notes = MakeChunk("mixed.md", 1, "Assorted facts", [.. lines.SelectMany(l => new[] { l, "" })]);
        var batches = new List<IReadOnlyList<string>>();
        var answerer = new ExtractiveAnswerer(texts => { batches.Add(texts); return encoders.Fp32.Embed(texts); });

        var answer = await answerer.AnswerAsync(Context("What does dropout do during training?", notes), AnswerStyle.Tutor);

        Assert.Equal(2, batches.Count);
        Assert.Equal(1 + 20, batches[0].Count);
        Assert.Equal(ExtractiveAnswerer.InPlaceUnits, batches[1].Count);
        Assert.Contains(batches[1], t => t.Contains("Dropout randomly zeroes", StringComparison.Ordinal));
        Assert.StartsWith("Dropout randomly zeroes", Quotes(answer.Text)[0].Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_sharing_no_word_with_the_question_is_not_embedded_unless_it_holds_math()
    {
        var notes = MakeChunk("regularization.md", 10, "Regularization",
            "Dropout randomly zeroes activations during training so that units cannot co-adapt.",
            "",
            "Databases store rows in pages on disk.",
            "",
            "$$\\tilde{h} = m \\odot h / (1 - p)$$",
            "",
            "Cooking pasta takes about ten minutes in salted water.");
        // Its words are not the question's, but its heading's are: what it is about is read with it.
        var underHeading = MakeChunk("training.md", 40, "Training tricks", "Weights are shrunk toward zero by weight decay.");
        var sent = new List<string>();
        var answerer = new ExtractiveAnswerer(texts => { lock (sent) sent.AddRange(texts); return encoders.Fp32.Embed(texts); });

        var answer = await answerer.AnswerAsync(Context("What does dropout do during training?", notes, underHeading), AnswerStyle.Tutor);

        Assert.StartsWith("Dropout randomly zeroes", Quotes(answer.Text)[0].Sentence, StringComparison.Ordinal);
        // Neither the databases nor the cooking line shares a word with the question: neither is read as a unit (a read
        // unit's neighbours are still part of its reading in place).
        Assert.DoesNotContain("Regularization: Databases store rows in pages on disk.", sent);
        Assert.DoesNotContain("Regularization: Cooking pasta takes about ten minutes in salted water.", sent);
        // The formula shares none either, but TeX says in symbols what a question says in words: it is read.
        Assert.Contains("Regularization: $$\\tilde{h} = m \\odot h / (1 - p)$$", sent);
        Assert.Contains("Training tricks: Weights are shrunk toward zero by weight decay.", sent);

        // A question sharing no word with any unit has only the embedder to go by: every unit is read.
        sent.Clear();
        await answerer.AnswerAsync(Context("Why would a network memorise its inputs?", notes), AnswerStyle.Tutor);
        Assert.Contains(sent, t => t.Contains("Databases store rows", StringComparison.Ordinal));
        Assert.Contains(sent, t => t.Contains("Cooking pasta", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_nested_list_ends_where_an_item_stands_less_indented()
    {
        // Questions as top-level items, their answers nested under them: the answer to one ends where the next begins.
        var notes = MakeChunk("review.md", 43, "Previous questions",
            "* Explain Adam",
            "    * RMSProp + Momentum. RMSProp keeps a running average over the squared gradients. Momentum keeps a running average over the gradients.",
            "* How to combat overfitting",
            "    * Reduce model size",
            "    * Regularization (L1, L2, Dropout, etc)",
            "    * Ensembling models");

        var answer = await Answerer.AnswerAsync(Context("What does Adam add to RMSprop?", notes), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text).Select(q => q.Sentence).ToList();
        Assert.Contains("RMSProp + Momentum.", quotes);
        // The item's three sentences read as the one item they are.
        Assert.Contains(answer.Text.Split('\n'), l => l.StartsWith("- RMSProp + Momentum. [1] RMSProp keeps", StringComparison.Ordinal)
            && l.Contains("[1] Momentum keeps", StringComparison.Ordinal));
        Assert.DoesNotContain(quotes, q => q.Contains("overfitting", StringComparison.Ordinal) || q.Contains("model size", StringComparison.Ordinal));
        var citation = Assert.Single(answer.Citations);
        Assert.Equal((44, 44), (citation.StartLine, citation.EndLine));
    }

    [Fact]
    public async Task A_bulleted_list_ends_at_a_numbered_item_at_the_same_indent()
    {
        // The numbers name the topics and the bullets say what is said of each: "2. RMSprop:" starts the next topic.
        var notes = MakeChunk("optimizers.md", 68, "Optimizers",
            "- Best for: most deep learning tasks, especially with sparse gradients",
            "- Default choice for many applications",
            "",
            "2. RMSprop:",
            "- Adapts learning rates based on recent gradient history",
            "- Good for recurrent networks");

        // Ranked by shared words: the structure alone decides what the list is.
        var answer = await new ExtractiveAnswerer().AnswerAsync(Context("Which optimizer is the default choice for many applications?", notes), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text).Select(q => q.Sentence).ToList();
        Assert.Contains("Default choice for many applications", quotes);
        Assert.DoesNotContain(quotes, q => q.Contains("RMSprop", StringComparison.Ordinal) || q.Contains("Adapts", StringComparison.Ordinal));
    }

    // The sentence that names the topic points back at the definition on the same line.
    private static readonly Chunk Kernels = MakeChunk("svm.md", 2296, "Support Vector Machines › What is a Kernel?",
        "Support Vector Machine (SVM) finds the hyperplane that separates the classes with the widest margin.",
        "",
        "A kernel is a function that computes a dot product in a high-dimensional feature space, without transforming the data into that space. This is known as the kernel trick.",
        "",
        "Common kernels are the polynomial kernel and the radial basis function kernel.");

    [Fact]
    public async Task A_sentence_that_points_back_is_quoted_after_the_sentence_it_points_to()
    {
        var answer = await Answerer.AnswerAsync(Context("How would I explain the kernel trick in an interview?", Kernels), AnswerStyle.Tutor);

        var quotes = Quotes(answer.Text).Select(q => q.Sentence).ToList();
        var named = quotes.IndexOf("This is known as the kernel trick.");
        Assert.True(named > 0, answer.Text);
        Assert.StartsWith("A kernel is a function that computes a dot product", quotes[named - 1], StringComparison.Ordinal);
        var citation = Assert.Single(answer.Citations);
        Assert.InRange(2298, citation.StartLine, citation.EndLine);
    }

    [Theory]
    [InlineData("What's the formula for the F1 score?", true)]
    [InlineData("Write down the Adam update equations.", true)]
    [InlineData("How is gini impurity calculated?", true)]
    [InlineData("How is GELU computed mathematically?", true)]
    [InlineData("Is there a closed-form solution for ridge regression?", true)]
    [InlineData("how do you compute the F1 score from precision and recall?", true)]
    [InlineData("what's the probability density function of a Gaussian?", true)]
    [InlineData("If my target is one-hot, what does the cross-entropy loss reduce to?", true)]
    [InlineData("What is the derivative of the sigmoid?", true)]
    [InlineData("How is the KL divergence between two distributions defined?", true)]
    [InlineData("What is the KL divergence between two distributions?", false)]
    [InlineData("Which of the two is cheaper to compute?", false)]
    [InlineData("What are the steps to compute PCA by hand?", false)]
    [InlineData("What are the derivatives of tanh and ReLU?", true)]
    [InlineData("How much compute does training a large language model take?", false)]
    [InlineData("What loss function should I use for imbalanced classification?", false)]
    [InlineData("What is a derivative-free optimizer?", false)]
    [InlineData("Can PCA reduce to two dimensions without losing much variance?", false)]
    [InlineData("Why does dropout reduce overfitting?", false)]
    [InlineData("Compare L1 and L2 regularization.", false)]
    public void Questions_asking_for_math_are_recognised(string question, bool asks) =>
        Assert.Equal(asks, ExtractiveAnswerer.AsksForFormula(question));
}
