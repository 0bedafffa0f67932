using System.Text.RegularExpressions;
using MlTutor.Tests.Answering;

namespace MlTutor.Cli.Tests;

/// <summary>chat as a person uses it: in a pseudo-terminal, typing, recalling lines, citing, leaving.</summary>
public partial class ChatTerminalTests
{
    // The prompt: the greeting before it may be wrapped anywhere in a narrow terminal.
    private const string Ready = "you>";

    [Fact]
    public void A_conversation_with_a_follow_up_recalled_and_edited_lines_a_citation_and_ctrl_c_to_leave()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var chat = new TerminalSession(["chat", "--corpus", corpus, "--index", index]);
        chat.WaitFor(Ready);

        chat.Type("How does dropout prevent overfitting?");
        chat.Press("Enter");
        chat.WaitFor("Sources");
        chat.Type("what rate is usually used for it?");
        chat.Press("Enter");
        var screen = chat.WaitFor("(read with the conversation as:");
        Assert.Contains("How does dropout prevent overfitting", screen[screen.LastIndexOf("(read with", StringComparison.Ordinal)..]);

        chat.Type("/cite 1");
        chat.Press("Enter");
        screen = chat.WaitFor(s => CitedLine().IsMatch(s), "the cited lines, numbered and marked");
        Assert.Matches(@"regularization\.md:\d+-\d+", screen);

        // Up walks back through the lines typed; Ctrl-A goes to the line's start, where typing inserts.
        chat.Press("Up", "Up");
        chat.WaitFor("you> what rate is usually used for it?");
        chat.Press("C-a");
        chat.Type("tell me: ");
        chat.Press("Enter");
        chat.WaitFor("you> tell me: what rate is usually used for it?");
        chat.WaitFor(s => TerminalSession.Count(s, "Sources") >= 3, "the third answer");

        // Ctrl-U deletes what was typed; Ctrl-C clears a line; then, on the empty line, it leaves.
        chat.Type("nonsense");
        chat.Press("C-u");
        chat.Type("/sources");
        chat.Press("Enter");
        chat.WaitFor(s => TerminalSession.Count(s, "Sources") >= 4, "the sources again");
        chat.Type("half a question");
        chat.Press("C-c");
        chat.Press("C-c");
        Assert.Equal(0, chat.WaitForExit());
        screen = chat.Screen();
        Assert.DoesNotContain("unknown command", screen);
        Assert.DoesNotContain("nonsense/sources", screen);
        Assert.DoesNotContain("half a question", screen.Split('\n').Last(l => l.Contains("you>")));
    }

    [Fact]
    public void Continue_resumes_the_last_conversation_and_the_lines_typed_in_it()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using (var first = new TerminalSession(["chat", "--corpus", corpus, "--index", index]))
        {
            first.WaitFor(Ready);
            first.Type("How does dropout prevent overfitting?");
            first.Press("Enter");
            first.WaitFor("Sources");
            first.Press("C-d");
            Assert.Equal(0, first.WaitForExit());
        }

        using var second = new TerminalSession(["chat", "--continue", "--corpus", corpus, "--index", index]);
        second.WaitFor("Resuming the conversation");
        second.WaitFor(Ready);
        second.Press("Up");
        second.WaitFor("you> How does dropout prevent overfitting?");
        second.Press("C-c");
        second.Type("what rate is usually used for it?");
        second.Press("Enter");
        var screen = second.WaitFor("(read with the conversation as:");
        Assert.Contains("How does dropout prevent overfitting", screen[screen.LastIndexOf("(read with", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Answers_are_wrapped_at_the_terminal_width_with_formulas_in_unicode()
    {
        const int width = 48;
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var chat = new TerminalSession(["chat", "--corpus", corpus, "--index", index], width: width);
        chat.WaitFor(Ready);
        chat.Type("How does gradient descent update each weight?");
        chat.Press("Enter");
        var screen = chat.WaitFor("Sources");
        var answer = screen[(screen.IndexOf("you> How does", StringComparison.Ordinal) + 1)..screen.IndexOf("Sources", StringComparison.Ordinal)];
        answer = answer[answer.IndexOf('\n')..];
        Assert.Contains("η", answer);
        Assert.DoesNotContain(@"\eta", answer);
        // Joined screen lines (-J) are as long as written: a terminal's own wrapping would make them longer.
        Assert.All(answer.Split('\n'), line => Assert.True(line.TrimEnd().Length <= width, $"longer than {width}: '{line}'"));
    }

    [Fact]
    public void A_note_added_during_the_chat_is_picked_up_by_its_watch_and_answered()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var chat = new TerminalSession(["chat", "--corpus", corpus, "--index", index]);
        chat.WaitFor(Ready);
        chat.Type("How does dropout prevent overfitting?");
        chat.Press("Enter");
        chat.WaitFor("Sources");

        File.WriteAllText(Path.Combine(corpus, "capsules.md"),
            "# Capsule networks\n\nCapsule networks group neurons into capsules and route their outputs by agreement between capsules.\n");
        // The chat's watch indexes the note in the background; a question meanwhile is answered at once from the last
        // complete index, so it is asked until the answer comes from the new note. The watch's line is shown before the
        // next answer after its report, which may come just after the new index answered a question.
        var screen = "";
        for (var asked = 1; !(screen.Contains("capsules.md:3") && screen.Contains("re-indexed capsules.md")) && asked <= 30; asked++)
        {
            chat.Type("How do capsule networks route their outputs?");
            chat.Press("Enter");
            screen = chat.WaitFor(s => TerminalSession.Count(s, "Sources") + TerminalSession.Count(s, "do not cover") >= 1 + asked, $"answer {asked + 1}");
        }
        Assert.Contains("capsules.md:3", screen);
        Assert.Contains("re-indexed capsules.md: 1 passage", screen);
        chat.Type("/cite 1");
        chat.Press("Enter");
        chat.WaitFor("route their outputs by agreement");
    }

    [Fact]
    public async Task Ctrl_c_stops_a_streaming_answer_and_the_chat_goes_on()
    {
        // The first answer streams slowly, a piece every 300 ms; the second comes at once.
        var slow = Enumerable.Range(0, 60).Select(i => i == 0 ? "Adam keeps momentum" : $" and more{i}").Append(" END-OF-ANSWER");
        await using var server = new OpenAiCompatibleServer((n, _) => n == 0
            ? OpenAiCompatibleServer.Stream(slow, pause: TimeSpan.FromMilliseconds(300))
            : OpenAiCompatibleServer.Stream(OpenAiCompatibleServer.Pieces("Dropout zeroes random activations while training [1].")));
        var settings = new Dictionary<string, string>
        {
            ["MLTUTOR__Answering__Endpoint"] = server.Endpoint.ToString(),
            ["MLTUTOR__Answering__Model"] = "tutor-model",
            ["MLTUTOR__Answering__MaxRetries"] = "0",
        };
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        using var chat = new TerminalSession(["chat", "--llm", "openai", "--corpus", corpus, "--index", index],
            environment: settings);
        chat.WaitFor(Ready);
        chat.Type("What does Adam add to RMSprop?");
        chat.Press("Enter");
        chat.WaitFor("and more3");
        chat.Press("C-c");
        chat.WaitFor("(stopped)");
        Assert.DoesNotContain("END-OF-ANSWER", chat.Screen());

        chat.Type("How does dropout prevent overfitting?");
        chat.Press("Enter");
        var screen = chat.WaitFor("Dropout zeroes random activations while training [1].");
        Assert.Matches(@"regularization\.md:\d+-\d+", screen[screen.LastIndexOf("Dropout zeroes", StringComparison.Ordinal)..]);
        chat.Press("C-d");
        Assert.Equal(0, chat.WaitForExit());
        Assert.DoesNotContain("END-OF-ANSWER", chat.Screen());
    }

    /// <summary>A cited line as /cite shows it: its number, a bar, the text.</summary>
    [GeneratedRegex(@"^\s+\d+ │ \S", RegexOptions.Multiline)]
    private static partial Regex CitedLine();
}
