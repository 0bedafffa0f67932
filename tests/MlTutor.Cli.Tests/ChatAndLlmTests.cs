using MlTutor.Tests.Answering;

namespace MlTutor.Cli.Tests;

/// <summary>The conversation in the terminal, and answering through an OpenAI-compatible endpoint configured from outside.</summary>
public sealed class ChatAndLlmTests
{
    [Fact]
    public void Chat_answers_each_line_switches_style_and_shows_cited_lines()
    {
        var index = CliRunner.IndexedCopyOfSampleNotes().Index;
        var result = CliRunner.Run(["chat", "--index", index], stdin: "What does dropout do?\n/cite 1\n/interviewer\nWhat is early stopping?\n/quit\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[1]", result.Stdout);
        Assert.Matches(@"regularization\.md:\d+-\d+", result.Stdout);
        var dropoutLine = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "corpus", "regularization.md")).First(l => l.StartsWith("Dropout sets"));
        Assert.Contains(dropoutLine, result.Stdout); // /cite 1 printed the note's own line
        // The interviewer answers in parts named after what a strong interview answer holds.
        Assert.Matches(@"(?m)^(?:Definition|How it works|Key formula|Trade-offs|Pitfall|Answer): ", result.Stdout);
    }

    [Fact]
    public void Chat_reads_a_follow_up_with_the_question_it_leans_on_until_a_new_conversation()
    {
        var index = CliRunner.IndexedCopyOfSampleNotes().Index;
        const string followUp = "what rate is usually used for it?";
        var result = CliRunner.Run(["chat", "--index", index],
            stdin: $"How does dropout prevent overfitting?\n{followUp}\n/new\n{followUp}\n/quit\n");
        Assert.True(result.ExitCode == 0, result.ToString());

        // The follow-up in the conversation is answered from the dropout section and says how it was read; after /new
        // the same words alone are not covered by the notes.
        var afterNew = result.Stdout.IndexOf("New conversation.", StringComparison.Ordinal);
        Assert.True(afterNew > 0, result.ToString());
        var inConversation = result.Stdout[..afterNew];
        Assert.Contains("(read with the conversation as: ", inConversation);
        var followUpAnswer = inConversation[inConversation.LastIndexOf("Sources", StringComparison.Ordinal)..];
        Assert.Matches(@"regularization\.md:\d+-\d+", followUpAnswer);
        Assert.Contains($"The notes do not cover this question (\"{followUp}\")", result.Stdout[afterNew..]);
        Assert.DoesNotContain($"The notes do not cover this question (\"{followUp}\")", inConversation);
    }

    [Fact]
    public async Task Ask_with_llm_openai_sends_the_passages_to_the_configured_endpoint_with_the_key_from_the_environment()
    {
        await using var server = OpenAiCompatibleServer.Answering("Adam adds momentum to RMSprop's scaling [1], and bias correction [7].");
        var index = CliRunner.SampleIndex;
        var result = CliRunner.Run(["ask", "--json", "--llm", "openai", "--index", index, "What does Adam add to RMSprop?"], new Dictionary<string, string>
        {
            ["MLTUTOR__Answering__Endpoint"] = server.Endpoint.ToString(),
            ["MLTUTOR__Answering__Model"] = "tutor-model",
            ["MLTUTOR_LLM_API_KEY"] = "sk-test-123",
        });
        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-test-123", request.Authorization);
        Assert.Equal("tutor-model", request.Json.GetProperty("model").GetString());
        Assert.Contains("optimizers.md", request.Body);
        var json = result.Json();
        Assert.DoesNotContain("[7]", json.GetProperty("answer").GetString()); // a passage that was never sent is not citable
        var citation = Assert.Single(json.GetProperty("citations").EnumerateArray());
        Assert.Equal(1, citation.GetProperty("n").GetInt32());
        Assert.Equal([7], json.GetProperty("droppedMarkers").EnumerateArray().Select(m => m.GetInt32()));
        Assert.False(json.GetProperty("uncited").GetBoolean());
        Assert.InRange(json.GetProperty("promptTokens").GetInt32(), 50, 3000);
        Assert.Equal("mltutor: removed the citation [7]: it named no passage the model was given",
            Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("mltutor:")));
    }

    [Fact]
    public void An_endpoint_that_is_down_is_one_clear_line_then_the_offline_answer()
    {
        var port = OpenAiCompatibleServer.FreePort();
        var result = CliRunner.Run(["ask", "--llm", "openai", "--index", CliRunner.SampleIndex, "What does Adam add to RMSprop?"], new Dictionary<string, string>
        {
            ["MLTUTOR__Answering__Endpoint"] = $"http://127.0.0.1:{port}/v1",
            ["MLTUTOR__Answering__MaxRetries"] = "0",
        });
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Stderr.Trim().Split('\n'), l => l.StartsWith("mltutor:"));
        Assert.Equal($"mltutor: the endpoint http://127.0.0.1:{port}/v1 refused the connection: is the server running? check Answering:Endpoint; "
            + "answering offline from the notes instead", line);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Matches(@"optimizers\.md:\d+-\d+", result.Stdout); // the offline answer, with its sources
    }
}
