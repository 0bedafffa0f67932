using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

public class NoteSentenceSplitterTests
{
    [Fact]
    public void Periods_in_abbreviations_decimals_and_formulas_do_not_end_a_sentence()
    {
        var text = "Regularize, e.g. with L2, i.e. weight decay of 3.14e-4 per step. Then the loss $L = \\sum_i (y_i - \\hat{y}_i)^2. X$ stays small. Done by J. Smith et al. Next one!";
        var pieces = NoteSentenceSplitter.Split(text);
        Assert.Equal(
            ["Regularize, e.g. with L2, i.e. weight decay of 3.14e-4 per step.",
             "Then the loss $L = \\sum_i (y_i - \\hat{y}_i)^2. X$ stays small.",
             "Done by J. Smith et al. Next one!"],
            pieces.Select(p => p.Text));
    }

    [Fact]
    public void The_label_that_opens_an_answer_is_not_part_of_its_words()
    {
        var text = "Q: What is teacher forcing?\nA: The decoder is fed the correct previous token. It speeds convergence.\n\n"
            + "- Answer 2: Exposure bias follows.\n\nA model with high bias underfits the data.\n";
        var pieces = NoteSentenceSplitter.Split(text);
        Assert.Equal(
            ["The decoder is fed the correct previous token.", "It speeds convergence.", "Exposure bias follows.", "A model with high bias underfits the data."],
            pieces.Where(p => p.IsQuotable).Select(p => p.Text));
        Assert.Equal((1, 1), (pieces[1].FirstLine, pieces[1].LastLine));
    }

    [Fact]
    public void An_answer_on_its_questions_line_is_about_that_question_not_the_flashcard_before()
    {
        var pieces = NoteSentenceSplitter.Split(string.Join("\n",
            "- Q: Why does regularization help prevent overfitting?",
            "  A: It constrains weights, stopping the model from fitting noise.",
            "- Q: What's the difference between L1 and L2? A: L1 can shrink weights to zero, L2 keeps them non-zero."), "Regularization");
        Assert.Equal("Q: Why does regularization help prevent overfitting?", pieces.Single(p => p.Text.StartsWith("It constrains")).Context);
        Assert.Equal("Q: What's the difference between L1 and L2?", pieces.Single(p => p.Text.StartsWith("L1 can shrink")).Context);

        // A bare question opening a paragraph names nothing: what follows it is still about the heading.
        var why = NoteSentenceSplitter.Split("## Backpropagation\n\n**What?** An algorithm to compute gradients layer by layer.");
        Assert.Equal("Backpropagation", why.Single(p => p.Text.StartsWith("An algorithm")).Context);
    }

    [Theory]
    [InlineData("The objective is", true)]
    [InlineData("The update rule for the weights is", true)]
    [InlineData("Their outputs are", true)]
    [InlineData("The lower the perplexity, the better the model is", false)]
    [InlineData("This is what the loss is", false)]
    [InlineData("Perplexity shows how surprised the model is", false)]
    [InlineData("The model is robust.", false)]
    public void A_sentence_that_stops_at_is_after_naming_its_subject_is_cut_off(string text, bool cutOff) =>
        Assert.Equal(cutOff, NoteSentenceSplitter.IsCutOff(text));

    [Fact]
    public void A_quoted_question_inside_a_sentence_does_not_end_it_but_one_before_a_capital_does()
    {
        var text = "Semantic search matches meaning (\"Where can I buy sneakers?\" $\\approx$ \"Best shoe stores nearby\"). "
            + "She asked \"why not?\" and left. He said \"Stop!\" Then it ended.";
        Assert.Equal(
            ["Semantic search matches meaning (\"Where can I buy sneakers?\" $\\approx$ \"Best shoe stores nearby\").",
             "She asked \"why not?\" and left.",
             "He said \"Stop!\"",
             "Then it ended."],
            NoteSentenceSplitter.Split(text).Select(p => p.Text));
    }

    [Fact]
    public void A_title_under_a_label_is_quoted_only_with_its_list_while_a_labelled_statement_stands_alone()
    {
        var pieces = NoteSentenceSplitter.Split(string.Join("\n",
            "- Use Case: Retrieval-Augmented Generation (RAG)",
            "- Dropout: randomly zeroes activations during training.",
            "- Typical Rate: 0.5 for hidden layers"), "Notes");

        var title = pieces.Single(p => p.Text.StartsWith("Use Case", StringComparison.Ordinal));
        Assert.False(title.IsQuotable);
        Assert.True(title.IsShortItem);
        Assert.All(pieces.Where(p => p != title), p => Assert.True(p.IsQuotable, p.Text));
    }

    [Fact]
    public void List_items_flashcards_and_tab_tables_become_separate_pieces_on_their_lines()
    {
        string[] lines =
        [
            "What is dropout in a neural network?",          // 0
            "",
            "???",
            "",
            "Dropout randomly zeroes activations during training.", // 4
            "- It prevents co-adaptation of neurons.",       // 5
            "  * Typical rate: 0.5 for hidden layers,",     // 6
            "    lower for the input layer.",                  // 7
            "Aspect\tUnderfitting\tOverfitting",             // 8
            "Training Error\tHigh\tLow",                     // 9
            "Regression\t15",                                // 10: a table-of-contents line with a page number
            "## Batch normalization",                        // 11
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines), "Regularization");

        var question = Assert.Single(pieces, p => p.Kind == SentenceKind.Question);
        Assert.Equal(("What is dropout in a neural network?", 0, 0), (question.Text, question.FirstLine, question.LastLine));
        Assert.False(question.IsQuotable);

        var prose = Assert.Single(pieces, p => p.Kind == SentenceKind.Prose);
        Assert.Equal((4, "What is dropout in a neural network?"), (prose.FirstLine, prose.Context));

        var items = pieces.Where(p => p.Kind == SentenceKind.ListItem).ToList();
        Assert.Equal(["It prevents co-adaptation of neurons.", "Typical rate: 0.5 for hidden layers, lower for the input layer."], items.Select(i => i.Text));
        Assert.Equal((6, 7), (items[1].FirstLine, items[1].LastLine));

        var rows = pieces.Where(p => p.Kind == SentenceKind.TableRow).ToList();
        Assert.Equal(["Aspect | Underfitting | Overfitting", "Training Error | High | Low", "Regression | 15"], rows.Select(r => r.Text));
        Assert.Contains("Aspect | Underfitting | Overfitting", rows[1].Context); // the header says what a row's cells mean
        Assert.True(rows[2].IsFragment);

        var heading = Assert.Single(pieces, p => p.Kind == SentenceKind.Heading);
        Assert.Equal(("Batch normalization", 11), (heading.Text, heading.FirstLine));
    }

    [Fact]
    public void A_title_under_a_label_on_a_line_of_its_own_is_not_quotable_hyphenated_names_too()
    {
        var pieces = NoteSentenceSplitter.Split(string.Join("\n",
            "Common Method: k-Fold Cross-Validation",
            "Split the data into k equal parts (folds)",
            "Common Mistake: leaking the test fold into training",
            "Typical Value: 5 Or 10 Folds"), "Cross-Validation");

        Assert.False(Assert.Single(pieces, p => p.FirstLine == 0).IsQuotable);
        Assert.True(Assert.Single(pieces, p => p.FirstLine == 1).IsQuotable);
        Assert.True(Assert.Single(pieces, p => p.FirstLine == 2).IsQuotable); // a statement under a label, not a title
        Assert.True(Assert.Single(pieces, p => p.FirstLine == 3).IsQuotable); // a number under a label is a fact
    }

    [Fact]
    public void A_title_in_parentheses_under_a_heading_is_not_quotable_but_a_sentence_in_parentheses_is()
    {
        var pieces = NoteSentenceSplitter.Split(string.Join("\n",
            "### Diffusion Models",
            "",
            "(Denoising Diffusion Probabilistic Models - DDPM)",
            "",
            "(The model learns to reverse a gradual noising process.)"));

        var title = Assert.Single(pieces, p => p.FirstLine == 2);
        Assert.False(title.IsQuotable);
        Assert.True(Assert.Single(pieces, p => p.FirstLine == 4).IsQuotable);
    }

    [Fact]
    public void A_bullet_split_from_its_words_by_a_tab_is_read_as_a_list_item_and_a_question_on_it_as_a_question()
    {
        string[] lines =
        [
            "•\tQ: \"How do you evaluate GAN quality?\"",      // 0
            "A: \"Use FID and human evaluation.\"",             // 1
            "",
            "•\tMode collapse: the generator covers few modes.", // 3
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines), "GANs");

        var question = Assert.Single(pieces, p => p.FirstLine == 0);
        Assert.Equal(SentenceKind.Question, question.Kind);
        Assert.False(question.IsQuotable);
        var answer = Assert.Single(pieces, p => p.FirstLine == 1);
        Assert.Contains("How do you evaluate GAN quality?", answer.Context); // the card's answer stands under its question
        var item = Assert.Single(pieces, p => p.FirstLine == 3);
        Assert.Equal((SentenceKind.ListItem, "Mode collapse: the generator covers few modes."), (item.Kind, item.Text));
        Assert.True(item.IsQuotable);
    }

    [Theory]
    [InlineData("When we model some polynomial, we", true)]
    [InlineData("The loss is minimised by the", true)]
    [InlineData("Perplexity measures how surprised the model is", false)]
    [InlineData("Choose the metric the business cares about and", true)]
    [InlineData("This is what the learning rate is used for", false)]
    [InlineData("Lower is better.", false)]
    public void A_piece_ending_in_a_word_no_sentence_ends_in_is_cut_off(string text, bool cutOff) =>
        Assert.Equal(cutOff, NoteSentenceSplitter.IsCutOff(text));

    [Fact]
    public void A_sentence_broken_across_a_blank_line_is_one_piece_and_one_left_unfinished_is_not_quotable()
    {
        string[] lines =
        [
            "A: \"Stemming chops word endings, while lemmatization uses vocabulary and morphology to", // 0: notes converted from PDF
            "",
            "return valid lemmas.\"",                                  // 2
            "",
            "When we model some polynomial, we",                       // 4: the note stops here
            "",
            "Perplexity measures how surprised the model is",          // 6: finished, though it ends in "is"
            "",
            "optimizer = optim.SGD(model.parameters(), lr=0.01) for each batch",  // 8: code is never run together
            "",
            "loss = loss_fn(outputs, y_batch)",                         // 10
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines));

        var joined = Assert.Single(pieces, p => p.Text.StartsWith("\"Stemming", StringComparison.Ordinal));
        Assert.Equal(("\"Stemming chops word endings, while lemmatization uses vocabulary and morphology to return valid lemmas.\"", 0, 2),
            (joined.Text, joined.FirstLine, joined.LastLine));
        Assert.True(joined.IsQuotable);
        Assert.False(Assert.Single(pieces, p => p.FirstLine == 4).IsQuotable);
        Assert.True(Assert.Single(pieces, p => p.FirstLine == 6).IsQuotable);
        Assert.Equal((8, 8), (Assert.Single(pieces, p => p.Text.StartsWith("optimizer", StringComparison.Ordinal)).FirstLine,
            Assert.Single(pieces, p => p.Text.StartsWith("optimizer", StringComparison.Ordinal)).LastLine));
        Assert.Single(pieces, p => p.FirstLine == 10);
    }

    [Theory]
    [InlineData("Regularization", "l2 regularization adds the squared weights to the loss.")]                     // a heading
    [InlineData("- Random deletion of words from the sentence and", "both are cheap and keep the label.")]        // a list item
    [InlineData("l1 regularization adds the absolute weights to the loss", "l2 regularization adds the squares")] // lower-case notes
    [InlineData("from sklearn.model_selection import train_test_split as split", "import numpy as np")]           // code
    public void Lines_that_only_look_unfinished_stay_apart_across_a_blank_line(string first, string second)
    {
        var pieces = NoteSentenceSplitter.Split($"{first}\n\n{second}");
        Assert.DoesNotContain(pieces, p => p.FirstLine == 0 && p.LastLine == 2);
        // Two blank lines are a paragraph break whatever the lines say.
        var broken = "Stemming chops word endings, while lemmatization uses vocabulary and morphology to";
        Assert.DoesNotContain(NoteSentenceSplitter.Split($"{broken}\n\n\nreturn valid lemmas."), p => p.FirstLine == 0 && p.LastLine == 3);
        Assert.Contains(NoteSentenceSplitter.Split($"{broken}\n\nreturn valid lemmas."), p => p.FirstLine == 0 && p.LastLine == 2);
    }

    [Fact]
    public void Short_list_items_are_marked_for_quoting_with_their_list_but_contents_lines_are_not()
    {
        string[] lines =
        [
            "**Text Augmentation:**",                                        // 0: a lead-in
            "- Synonym replacement",                                         // 1
            "- Random swap",                                                 // 2
            "- Back-translation (translate to another language and back)",   // 3: long enough alone
            "- a",                                                           // 4: no word at all
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines));

        NoteSentence Item(string start) => pieces.Single(p => p.Kind == SentenceKind.ListItem && p.Text.StartsWith(start, StringComparison.Ordinal));
        Assert.True(Item("Synonym replacement").IsShortItem);
        Assert.False(Item("Synonym replacement").IsQuotable);
        Assert.True(Item("Random swap").IsShortItem);
        Assert.False(Item("Back-translation (translate to another language and back)").IsShortItem);
        Assert.True(Item("Back-translation (translate to another language and back)").IsQuotable);
        Assert.False(Item("a").IsShortItem);
        Assert.DoesNotContain(pieces, p => p.IsLeadIn && p.IsShortItem);
        // The entries of a table of contents are not a list to quote.
        Assert.DoesNotContain(NoteSentenceSplitter.Split("- Introduction\n- Linear models", "Table of Contents"), p => p.IsShortItem);
    }

    [Fact]
    public void Plain_text_headings_and_short_bits_are_not_quotable_and_set_the_context()
    {
        string[] lines =
        [
            "Linear Regression",
            "Model: $\\hat{y} = \\mathbf{w}^T\\mathbf{x} + b$ fits a line to the points.",
            "Closed-form:",
            "title: Machine Learning Notes",
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines));
        Assert.Equal(SentenceKind.Heading, pieces[0].Kind);
        Assert.True(pieces[1].IsQuotable);
        Assert.Equal("Linear Regression", pieces[1].Context);
        Assert.False(pieces[2].IsQuotable);
        Assert.False(pieces[3].IsQuotable);
    }

    [Fact]
    public void A_card_title_ending_with_its_abbreviation_or_glued_to_the_badge_before_it_is_the_context_of_its_card()
    {
        // A card page exported to text: each card's title, its text, then its badge, which runs into the next title.
        string[] lines =
        [
            "Mean Squared Error (MSE)",
            "Penalizes large errors quadratically. Assumes Gaussian noise.",
            "📊 RegressionMAE / L1 Loss",
            "Robust to outliers. Assumes Laplace noise.",
            "📊 Robust RegressionHuber Loss",
            "Quadratic for small errors, linear for large ones.",
            "Training diverged early (Again)",
            "Lowering the rate fixed it.",
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines), "Loss Functions");

        Assert.Equal(SentenceKind.Heading, pieces.Single(p => p.Text == "Mean Squared Error (MSE)").Kind);
        Assert.Equal("Mean Squared Error (MSE)", pieces.Single(p => p.Text == "Assumes Gaussian noise.").Context);
        // The heading is quoted as the line says it; what it is about is the title.
        var mae = pieces.Single(p => p.Text == "📊 RegressionMAE / L1 Loss");
        Assert.Equal((SentenceKind.Heading, "MAE / L1 Loss"), (mae.Kind, mae.Title));
        Assert.Equal("MAE / L1 Loss", pieces.Single(p => p.Text == "Robust to outliers.").Context);
        Assert.Equal("Huber Loss", pieces.Single(p => p.Text.StartsWith("Quadratic")).Context);
        // A remark in parentheses ends a line of prose, not a title.
        Assert.NotEqual(SentenceKind.Heading, pieces.Single(p => p.Text.StartsWith("Training diverged")).Kind);
        Assert.Equal("Huber Loss", pieces.Single(p => p.Text == "Lowering the rate fixed it.").Context);
    }

    [Fact]
    public void A_lone_camel_case_name_after_a_pictograph_is_no_glued_badge()
    {
        var pieces = NoteSentenceSplitter.Split("🔥 TensorFlow Basics\nA graph of operations runs on tensors.", "Frameworks");
        Assert.NotEqual("Flow Basics", pieces.Single(p => p.Text.StartsWith("A graph")).Context);
        Assert.All(pieces, p => Assert.Null(p.Title));
    }

    [Fact]
    public void A_sentence_that_stops_on_a_word_leading_into_the_formula_below_is_that_formulas_lead_in()
    {
        var pieces = NoteSentenceSplitter.Split(string.Join("\n",
            "Cross-entropy compares the true distribution p with the predicted q.",
            "When p is one-hot (say class t), this simplifies to",
            "",
            " $H(p,q) = -\\log q_t$ ",
            "",
            "The ReLU activation of a pre-activation x is defined as",
            "",
            "$$ReLU(x) = \\max(0, x)$$",
            "",
            "Training is slow when the batch is too small to",
            "Fit more by accumulating gradients.",
            "The update of each weight is then written as",
            "",
            "",
            "",
            "$$w \\leftarrow w - \\eta g$$"), "Cross Entropy");

        Assert.True(pieces.Single(p => p.Text.StartsWith("When p is one-hot")).IsLeadIn);
        Assert.True(pieces.Single(p => p.Text.StartsWith("The ReLU activation")).IsLeadIn);
        // A sentence that ends on "to" with no formula after it announces nothing, nor one with a formula lines below; a
        // finished one neither.
        Assert.False(pieces.Single(p => p.Text.StartsWith("Training is slow")).IsLeadIn);
        Assert.False(pieces.Single(p => p.Text.StartsWith("The update of each weight")).IsLeadIn);
        Assert.False(pieces.Single(p => p.Text.StartsWith("Cross-entropy compares")).IsLeadIn);
    }

    [Fact]
    public void A_numbered_title_with_a_bullet_before_it_over_a_paragraph_is_a_heading()
    {
        var pieces = NoteSentenceSplitter.Split(string.Join("\n",
            "- 2. Derivative of Binary Cross-Entropy",
            "",
            "Given the logit and the true label, the loss is differentiated through the sigmoid.",
            "- 3. Chain Rule",
            "- 4. Worked Example",                          // 4: the last of a numbered list is an item
            "",
            "**5. Regularization-Based:**",
            "",
            "- Penalize changes to the weights old tasks need"));

        var title = Assert.Single(pieces, p => p.FirstLine == 0);
        Assert.Equal((SentenceKind.Heading, "2. Derivative of Binary Cross-Entropy"), (title.Kind, title.Text));
        Assert.False(title.IsQuotable);
        Assert.Equal("2. Derivative of Binary Cross-Entropy", Assert.Single(pieces, p => p.FirstLine == 2).Context);
        Assert.Equal(SentenceKind.ListItem, Assert.Single(pieces, p => p.FirstLine == 3).Kind); // items of a list stay items,
        Assert.Equal(SentenceKind.ListItem, Assert.Single(pieces, p => p.FirstLine == 4).Kind); // its last one too
        Assert.Contains(pieces, p => p.FirstLine == 6 && p.IsLeadIn); // a bold numbered label still leads in to its list
    }

    [Fact]
    public void Display_formulas_are_whole_pieces_and_numbered_titles_are_headings()
    {
        string[] lines =
        [
            "11. Parametric vs. Nonparametric Models",       // 0: a numbered section title, not a list
            "Parametric: Have a fixed number of parameters (e.g., linear regression).", // 1
            "Combined:",                                      // 2
            "",
            "$$\\mathbf{a} = f(\\mathbf{X}\\mathbf{W} + \\mathbf{b})$$", // 4
            "$$",                                             // 5: a block over three lines
            "h_t = f(W_{xh}x_t + W_{hh}h_{t-1} + b_h)",
            "$$",                                             // 7
            "  $v_t = \\beta v_{t-1} + (1-\\beta)g_t^2$",      // 8: a line that is only math
            "1. Linear transformation",                       // 9: a list of short items stays a list
            "2. Activation function",
        ];
        var pieces = NoteSentenceSplitter.Split(string.Join("\n", lines));

        Assert.Equal((SentenceKind.Heading, 0), (pieces[0].Kind, pieces[0].FirstLine));
        Assert.Equal("11. Parametric vs. Nonparametric Models", pieces[1].Context);
        Assert.True(pieces[1].IsQuotable);
        Assert.True(pieces.Single(p => p.Text == "Combined:").IsLeadIn);

        var formulas = pieces.Where(p => p.Kind == SentenceKind.Formula).ToList();
        Assert.Equal([(4, 4), (5, 7), (8, 8)], formulas.Select(f => (f.FirstLine, f.LastLine)));
        Assert.Equal("$$ h_t = f(W_{xh}x_t + W_{hh}h_{t-1} + b_h) $$", formulas[1].Text);
        Assert.All(formulas, f => Assert.True(f.IsQuotable));
        Assert.Equal(2, pieces.Count(p => p.Kind == SentenceKind.ListItem));
    }
}
