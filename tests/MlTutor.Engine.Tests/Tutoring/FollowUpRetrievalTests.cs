using MlTutor.Indexing;
using MlTutor.Tutoring;

namespace MlTutor.Tests.Tutoring;

/// <summary>
/// When a turn is read with the earlier ones: through the facade over a few hand-made notes and the real model, and the
/// decision on the dense matches by itself.
/// </summary>
public sealed class FollowUpRetrievalTests : IDisposable
{
    private const string TfIdfQuestion = "how does TF-IDF weight the words in a document?";
    private readonly string _corpus = TestPaths.NewTempDir("mltutor-follow-up-notes");
    private readonly string _index = TestPaths.NewTempDir("mltutor-follow-up-index");

    public FollowUpRetrievalTests()
    {
        Write("tf-idf.md", """
            # Weighting words

            ## TF-IDF

            TF-IDF weights a word in a document by how often it occurs there and how rare it is across the collection:

                tfidf(t, d) = tf(t, d) · log(N / df(t))

            Here t is a term, d a document, tf(t, d) counts the occurrences of t in d, N is the number of documents and df(t) the
            number of documents that contain t. Common words such as "the" get a weight near zero.
            """);
        Write("text-features.md", """
            # Text features

            ## Bag of words

            A bag of words turns a document into a vector of word counts. Word order is thrown away; only how often each word of
            the vocabulary occurs is kept. The vectors are long and sparse, one entry per vocabulary word.
            """);
        Write("distributions.md", """
            # Distributions

            ## Normal distribution

            The normal density is p(x) = exp(−(x − μ)² / (2σ²)) / (σ√(2π)), where μ is the mean and σ the standard deviation. About
            two thirds of the mass lies within one standard deviation of the mean.
            """);
        Write("training.md", """
            # Training

            ## Learning rate

            The learning rate sets the size of each gradient descent step. Too large and the loss diverges; too small and training
            crawls. Schedules lower it as training goes on.

            ## Dropout

            Dropout switches off a random share of the units at each training step, so that no unit can rely on another one. At
            test time every unit is kept and the activations are scaled to match.
            """);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_corpus, name), text + "\n");

    private Tutor NewTutor() => new(new TutorSettings
    {
        Corpus = { Directory = _corpus },
        Index = { Directory = _index },
    }, TestPaths.RepoRoot);

    public void Dispose()
    {
        foreach (var dir in new[] { _corpus, _index })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void An_ellipsis_without_a_word_pointing_back_is_read_with_the_conversation()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        const string ellipsis = "what do the letters in the formula stand for?";
        Assert.True(tutor.Retrieve(ellipsis).NotCovered);

        var context = tutor.Retrieve(ellipsis, new QuestionOptions { History = [TfIdfQuestion] });

        Assert.Equal("how does TF-IDF weight the words in a document, " + ellipsis, context.StandaloneQuestion);
        Assert.False(context.NotCovered);
        Assert.Equal("Weighting words › TF-IDF", context.Passages[0].Chunk.HeadingPath);
    }

    [Fact]
    public void A_turn_going_back_past_the_last_one_is_read_with_the_turns_before_it()
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        const string goingBack = "going back to your first answer, what do the letters in the formula stand for?";

        var context = tutor.Retrieve(goingBack, new QuestionOptions { History = [TfIdfQuestion, "and why does dropout help?"] });

        Assert.Equal("how does TF-IDF weight the words in a document, " + goingBack, context.StandaloneQuestion);
        Assert.False(context.NotCovered);
        Assert.Equal("Weighting words › TF-IDF", context.Passages[0].Chunk.HeadingPath);
    }

    [Theory]
    [InlineData("going back to your first answer, how do I switch that on in keras?", true)]
    [InlineData("coming back to the spam thing, what about unseen words?", true)]
    [InlineData("about your earlier answer: does it need a GPU?", true)]
    [InlineData("how does the error flow back to the first layer?", false)]
    [InlineData("and what does it do at test time?", false)]
    public void A_turn_goes_back_past_the_last_one_when_it_says_so(string question, bool goesBack) =>
        Assert.Equal(goesBack, FollowUpQuestion.GoesBack(question));

    [Fact]
    public void A_follow_up_asking_who_made_it_is_not_covered_unless_the_notes_say()
    {
        const string who = "who came up with it?";
        var history = new QuestionOptions { History = ["how does dropout work during training?"] };
        using (var tutor = NewTutor())
        {
            tutor.UpdateIndex();
            var context = tutor.Retrieve(who, history);
            Assert.Equal("how does dropout work during training, " + who, context.StandaloneQuestion);
            Assert.True(context.NotCovered);
        }

        File.AppendAllText(Path.Combine(_corpus, "training.md"), "\nDropout was introduced by Srivastava et al. in 2014.\n");
        using (var tutor = NewTutor())
        {
            tutor.UpdateIndex();
            Assert.False(tutor.Retrieve(who, history).NotCovered);
        }
    }

    [Theory]
    [InlineData("How does BM25 saturate the term frequency?")]
    [InlineData("Does Word2Vec keep the word order?")]
    public void A_question_that_names_its_own_topic_is_not_taken_for_an_ellipsis(string question)
    {
        using var tutor = NewTutor();
        tutor.UpdateIndex();
        var alone = tutor.Retrieve(question);

        var inConversation = tutor.Retrieve(question, new QuestionOptions { History = [TfIdfQuestion] });

        Assert.True(alone.NotCovered);
        Assert.Equal(question, inConversation.StandaloneQuestion);
        Assert.True(inConversation.NotCovered);
        Assert.Equal(alone.Passages.Select(p => p.Chunk.Id), inConversation.Passages.Select(p => p.Chunk.Id));
    }

    [Theory]
    // A vague follow-up takes the earlier topic's match almost whole.
    [InlineData(0.22f, 0.66f, 0.66f, true)]
    [InlineData(0.44f, 0.56f, 0.57f, true)]
    // A new question that gains a little from the old topic while pulling it further away.
    [InlineData(0.56f, 0.57f, 0.61f, false)]
    // Worse than the question alone.
    [InlineData(0.62f, 0.57f, 0.55f, false)]
    // The earlier turns lose more than the topic may drift, however much the question gains, and the question's own
    // words are not in the passages found with them.
    [InlineData(0.26f, 0.56f, 0.66f, false)]
    public void A_turn_reads_as_a_follow_up_when_it_gains_from_the_earlier_turns_at_least_what_they_lose(
        float alone, float joined, float earlier, bool followUp) =>
        Assert.Equal(followUp, FollowUpQuestion.ReadsAsFollowUp(alone, joined, earlier, () => 0.2));

    [Theory]
    // Drifting off the earlier turns' best match, with its own words in the passages on their topic: a follow-up.
    [InlineData(0.43f, 0.59f, 0.70f, 0.8, true)]
    // The same drift, its words elsewhere or nowhere in the notes.
    [InlineData(0.43f, 0.59f, 0.70f, 0.1, false)]
    // Its words found, but no gain from the earlier turns: not a follow-up.
    [InlineData(0.56f, 0.57f, 0.70f, 1.0, false)]
    public void A_turn_that_drifts_off_the_earlier_topic_is_a_follow_up_when_its_own_words_are_in_that_topics_passages(
        float alone, float joined, float earlier, double ownWordsFound, bool followUp)
    {
        var asked = false;
        Assert.Equal(followUp, FollowUpQuestion.ReadsAsFollowUp(alone, joined, earlier, () => { asked = true; return ownWordsFound; }));
        // Looking for the words costs a keyword pass over the passages: only a drifting turn that otherwise qualifies needs it.
        Assert.Equal(joined > alone && joined - alone >= earlier - joined, asked);
    }

    [Fact]
    public void A_drifting_turn_that_does_not_point_back_is_not_a_follow_up_whatever_its_words() =>
        Assert.False(FollowUpQuestion.ReadsAsFollowUp(0.43f, 0.59f, 0.70f, null));

    [Fact]
    public void A_turn_within_the_drift_never_looks_for_its_own_words() =>
        Assert.True(FollowUpQuestion.ReadsAsFollowUp(0.44f, 0.56f, 0.57f, () => throw new InvalidOperationException("looked for words")));

    [Theory]
    [InlineData("How does BM25 saturate the term frequency?", "BM25")]
    [InlineData("and what about RoPE vs ALiBi, which one wins?", "RoPE,ALiBi")]
    [InlineData("what do the letters in the formula stand for?", "")]
    [InlineData("is dropout used on the training data AND the test data?", "")]
    [InlineData("WHAT IS DROPOUT?", "")]
    public void Names_are_tokens_written_as_names(string text, string names) =>
        Assert.Equal(names.Split(',', StringSplitOptions.RemoveEmptyEntries), KeywordAnalysis.Names(text));
}
