using MlTutor.Tutoring;
using Xunit;

namespace MlTutor.Tests.Tutoring;

/// <summary>A question of the question bank is graded against its own answer lines, not against what retrieval brings
/// beside them. Hand-made notes, the real encoder and index.</summary>
public sealed class InterviewReferenceTests : IDisposable
{
    private readonly string _corpus = TestPaths.NewTempDir("mltutor-item-notes");
    private readonly string _index = TestPaths.NewTempDir("mltutor-item-index");
    private readonly string _reviews = TestPaths.NewTempDir("mltutor-item-reviews");

    public void Dispose()
    {
        foreach (var dir in new[] { _corpus, _index, _reviews })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A tutor over the notes written in the test, with its index built.</summary>
    private Tutor IndexedTutor()
    {
        var tutor = new Tutor(new TutorSettings
        {
            Corpus = { Directory = _corpus },
            Index = { Directory = _index },
            Review = { Directory = _reviews },
        }, TestPaths.RepoRoot);
        tutor.UpdateIndex();
        return tutor;
    }

    [Fact]
    public void A_flashcard_is_graded_against_its_own_answer_and_the_notes_beside_it_do_not_count()
    {
        File.WriteAllText(Path.Combine(_corpus, "cards.md"), """
            # Cards

            What does dropout do during training?
            ???
            Dropout sets a random fraction of the activations to zero at every training step.

            """);
        // A whole note on the same topic: retrieval ranks its sentences beside the card's, and a reference taken from the
        // passages would ask the answer for them too.
        File.WriteAllText(Path.Combine(_corpus, "regularization.md"), """
            # Regularization

            ## Dropout

            Dropout during training zeroes random units, so that units cannot co-adapt.
            At test time every unit is kept and the activations are scaled by the keep probability.
            Dropout acts like an ensemble of the thinned networks that share weights.
            Typical dropout rates are 0.1 to 0.5; convolutional layers use less.

            """);
        using var tutor = IndexedTutor();
        var card = Assert.Single(tutor.QuestionBank(), q => q.File == "cards.md");

        var (grade, _) = tutor.AnswerInterviewQuestion(card, "It zeroes a random share of the activations at each training step.");

        var point = Assert.Single(grade.KeyPoints).Point;
        Assert.Equal(("cards.md", 5, 5), (point.File, point.StartLine, point.EndLine));
        Assert.Equal(GradeVerdict.Pass, grade.Verdict);
        // The same question asked outside the interview is graded against what retrieval finds.
        Assert.Contains(tutor.Grade(card.Question, "It zeroes a random share of the activations.").KeyPoints, k => k.Point.File == "regularization.md");
    }

    [Fact]
    public void An_answer_swapping_a_cards_claim_with_the_neighbouring_cards_contradicts_it()
    {
        File.WriteAllText(Path.Combine(_corpus, "models.md"), """
            # Language models

            Q: What kind of model is BERT?
            A: BERT is an encoder-only Transformer trained with masked language modelling.

            Q: What kind of model is GPT?
            A: GPT is a decoder-only Transformer trained to predict the next token.

            """);
        using var tutor = IndexedTutor();
        var bert = Assert.Single(tutor.QuestionBank(), q => q.Question.Contains("BERT"));

        var (swapped, _) = tutor.AnswerInterviewQuestion(bert, "BERT is a decoder-only Transformer, and GPT is the encoder-only one.");
        var (right, _) = tutor.AnswerInterviewQuestion(bert, "BERT is an encoder-only Transformer, trained by masking words and predicting them.");

        // The reference is the card's own answer; the other card's claim, beside it, is what the swap is read against.
        var point = Assert.Single(swapped.KeyPoints);
        Assert.Equal(4, point.Point.StartLine);
        Assert.NotNull(point.Contradiction);
        Assert.Equal(GradeVerdict.Fail, swapped.Verdict);
        Assert.Null(Assert.Single(right.KeyPoints).Contradiction);
        Assert.True(right.Score > swapped.Score, $"{right.Score} against {swapped.Score}");
    }
}
