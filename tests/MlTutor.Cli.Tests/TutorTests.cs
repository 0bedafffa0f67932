using MlTutor.Answering;

namespace MlTutor.Cli.Tests;

/// <summary>The composition root in process, over the sample notes and the real model.</summary>
public sealed class TutorTests
{
    private static Tutor SampleTutor() => new(new TutorSettings
    {
        Corpus = { Directory = Path.Combine(CliRunner.RepoRoot, "corpus") },
        Index = { Directory = CliRunner.NewTempDir() },
    }, CliRunner.RepoRoot);

    [Fact]
    public async Task An_offline_answer_embeds_the_question_with_the_answerers_own_session()
    {
        using var tutor = SampleTutor();
        tutor.UpdateIndex();
        var answerer = tutor.CreateAnswerer("offline");
        var context = tutor.Retrieve("What does Adam add to RMSprop?", 5, "hybrid");
        var answer = await answerer.AnswerAsync(context, AnswerStyle.Tutor);

        Assert.Contains(answer.Citations, c => c.File == "optimizers.md");
        // Indexing, the question and the answer's sentences all ran on one session: no second copy of the model.
        Assert.Equal(1, tutor.EncoderSessions);
    }

    [Fact]
    public void Retrieval_alone_embeds_questions_with_the_one_thread_query_session()
    {
        using var tutor = SampleTutor();
        tutor.UpdateIndex();
        tutor.Retrieve("What does Adam add to RMSprop?", 5, "hybrid");

        // The index was built with the full session; questions for search and bench go through their own one-thread session.
        Assert.Equal(2, tutor.EncoderSessions);
    }
}
