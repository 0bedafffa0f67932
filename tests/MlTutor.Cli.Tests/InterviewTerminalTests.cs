using MlTutor.Tests.Answering;

namespace MlTutor.Cli.Tests;

/// <summary>A mock interview and a review in a pseudo-terminal, offline: asked, answered, graded, scheduled, and due again
/// once the clock has moved past the review date.</summary>
public class InterviewTerminalTests
{
    private const string First = "What is the difference between a parameter and a hyperparameter?";

    [Fact]
    public void A_note_edited_during_the_interview_is_re_indexed_and_the_answer_graded_against_its_new_lines()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var interview = new TerminalSession(["interview", "--n", "1", "--corpus", corpus, "--index", index]);
        interview.WaitFor("answer>");
        Assert.Contains(First, interview.Screen());

        // A card written above the first one while it is being answered moves its answer from line 5 to line 11 and puts
        // the new card's words on its old lines.
        var note = Path.Combine(corpus, "flashcards.md");
        var lines = File.ReadAllLines(note).ToList();
        Assert.StartsWith("Parameters (weights, biases)", lines[4]);
        lines.InsertRange(2, ["What does gradient clipping do?", "???", "Gradient clipping caps the norm of the gradient before each update.", "", "---", ""]);
        File.WriteAllLines(note, lines);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!CliRunner.Run(["status", "--json", "--corpus", corpus, "--index", index]).Json().GetProperty("upToDate").GetBoolean())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the interview's watch did not re-index the edited note");
            Thread.Sleep(200);
        }

        interview.Type("It is something about the model, I am not sure what.");
        interview.Press("Enter");
        interview.Press("Enter");
        var screen = interview.WaitFor("Next review of this question:");
        Assert.Contains("re-indexed flashcards.md", screen);
        // The card's answer is graded from its lines as they are now.
        Assert.True(screen.Contains("re-read flashcards.md:11-11", StringComparison.Ordinal), screen);
        Assert.DoesNotContain("Gradient clipping", screen);
        Assert.Equal(0, interview.WaitForExit());
    }

    [Fact]
    public void An_answered_question_is_graded_scheduled_and_asked_again_when_it_comes_due()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        string[] notes = ["--corpus", corpus, "--index", index];

        using (var interview = new TerminalSession(["interview", "--n", "1", .. notes]))
        {
            interview.WaitFor(First);
            interview.Type("/hint");
            interview.Press("Enter");
            interview.WaitFor("Hint: the answer is in flashcards.md");
            interview.Type("A parameter is learned from the data during training, like the weights.");
            interview.Press("Enter");
            interview.Type("A hyperparameter is set before training, like the learning rate.");
            interview.Press("Enter");
            interview.Press("Enter");
            var screen = interview.WaitFor("Next review of this question:");
            Assert.Contains("pass — score", screen);
            Assert.Contains("✓ Parameters (weights, biases) are learned from the data during training.", screen);
            Assert.Contains("From your notes", screen);
            Assert.Matches(@"flashcards\.md:\d+", screen);
            Assert.Equal(0, interview.WaitForExit());
        }

        var today = CliRunner.Run(["progress", .. notes]);
        Assert.True(today.ExitCode == 0, today.ToString());
        Assert.Matches(@"Interview flashcards\s+1\s+\S+\s+\d+%\s+0\s+0", today.Stdout);

        // Today the answered question is not due: a review starts with one never asked.
        using (var now = new TerminalSession(["review", "--n", "1", .. notes]))
        {
            var screen = now.WaitFor("Question 1 of 1");
            now.WaitFor("answer>");
            Assert.DoesNotContain(First, now.Screen());
            now.Type("/quit");
            now.Press("Enter");
            Assert.Equal(0, now.WaitForExit());
        }

        // A month later it is due, and asked first.
        var later = new Dictionary<string, string> { ["MLTUTOR_CLOCK_DAYS"] = "30" };
        using (var review = new TerminalSession(["review", "--n", "1", .. notes], environment: later))
        {
            review.WaitFor(First);
            review.Type("/skip");
            review.Press("Enter");
            Assert.Equal(0, review.WaitForExit());
        }
        var due = CliRunner.Run(["progress", .. notes], later);
        Assert.Matches(@"Interview flashcards\s+1\s+\S+\s+\d+%\s+1\s+1", due.Stdout);
    }

    [Fact]
    public async Task With_a_language_model_the_interviewer_grades_and_gives_feedback_after_the_offline_grade()
    {
        await using var server = OpenAiCompatibleServer.Answering(
            "Covered: 1, 2\nMissed: 3\nScore: 7/10\nFeedback: You told learned weights from chosen settings. Give an example of each.");
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        var settings = new Dictionary<string, string>
        {
            ["MLTUTOR__Answering__Endpoint"] = server.Endpoint.ToString(),
            ["MLTUTOR__Answering__Model"] = "tutor-model",
            ["MLTUTOR__Answering__MaxRetries"] = "0",
            ["MLTUTOR__Answering__FirstTokenTimeoutSeconds"] = "15",
        };

        using var interview = new TerminalSession(["interview", "--n", "1", "--llm", "openai", "--corpus", corpus, "--index", index], environment: settings);
        interview.WaitFor(First);
        interview.Type("A parameter is learned from the data during training; a hyperparameter is set before training.");
        interview.Press("Enter");
        interview.Press("Enter");
        var screen = interview.WaitFor("Next review of this question:");

        // The offline grade is still shown, first.
        var offline = screen.IndexOf("— score", StringComparison.Ordinal);
        var model = screen.IndexOf("The interviewer (openai model) — 7/10", StringComparison.Ordinal);
        Assert.True(offline >= 0 && model > offline, screen);
        Assert.Contains("You told learned weights from chosen settings. Give an example of each.", screen);
        Assert.Equal(0, interview.WaitForExit());
        var request = Assert.Single(server.Requests);
        Assert.Contains(First, request.Body);
    }
}
