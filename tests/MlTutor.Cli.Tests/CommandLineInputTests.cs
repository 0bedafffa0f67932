namespace MlTutor.Cli.Tests;

/// <summary>What the user types is taken as meant: free-text questions, citations, batch files and chat commands.</summary>
public sealed class CommandLineInputTests
{
    [Fact]
    public void A_question_starting_with_an_at_sign_is_asked_not_read_as_a_response_file()
    {
        const string question = "@k metrics like precision@k?";
        var result = CliRunner.Run("ask", "--json", "--index", CliRunner.SampleIndex, question);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(question, result.Json().GetProperty("question").GetString());
    }

    [Fact]
    public void A_citation_line_beyond_any_int_is_a_user_error()
    {
        var result = CliRunner.Run("cite", "--index", CliRunner.SampleIndex, "optimizers.md:99999999999999999999");
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains("optimizers.md:99999999999999999999", line);
        Assert.Contains("at most", line);
    }

    [Theory]
    [InlineData("search", "--k", "abc")]
    [InlineData("ask", "--k", "2.5")]
    [InlineData("eval", "--k", "ten")]
    [InlineData("cite", "--context", "x")]
    [InlineData("bench", "--queries", "1e3")]
    public void A_number_option_given_something_else_says_which_option_takes_a_whole_number(string command, string option, string value)
    {
        var result = CliRunner.Run(command, option, value, "--index", CliRunner.NewTempDir(), "ml-script.md:1");
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains($"{option} takes a whole number, e.g. {option} 5: '{value}' is not one", line);
        Assert.Contains($"see mltutor {command} --help", line);
        Assert.DoesNotContain("System.", line);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("search", "{\"id\":\"q\",\"question\":[\"x\"]}", "\"question\"")]
    [InlineData("ask", "{\"id\":\"q\",\"question\":[\"x\"]}", "\"question\"")]
    [InlineData("search", "[1,2]", "not a JSON object")]
    [InlineData("ask", "[1,2]", "not a JSON object")]
    public void A_batch_line_of_the_wrong_json_type_names_the_file_and_line(string command, string badLine, string expected)
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(file, ["{\"id\":\"ok\",\"question\":\"What is dropout?\"}", badLine]);
        var result = CliRunner.Run(command, "--batch", file, "--index", CliRunner.NewTempDir());
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains($"{file}:2:", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void A_batch_that_is_a_folder_says_so()
    {
        var folder = CliRunner.NewTempDir();
        var line = UserErrors.AssertOneLine(CliRunner.Run("search", "--batch", folder, "--index", CliRunner.NewTempDir()));
        Assert.Contains($"{folder} is a folder", line);
    }

    [Fact]
    public void An_index_path_that_is_a_file_says_so()
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "f");
        File.WriteAllText(file, "hi\n");
        var line = UserErrors.AssertOneLine(CliRunner.Run("ask", "--index", file, "What is dropout?"));
        Assert.Contains($"{file} is a file, not a folder", line);
        Assert.Contains("--index DIR", line);
        Assert.Equal("hi\n", File.ReadAllText(file));
    }

    [Fact]
    public void Chat_names_an_unknown_slash_command_instead_of_answering_it()
    {
        var result = CliRunner.Run(["chat", "--index", CliRunner.IndexedCopyOfSampleNotes().Index], stdin: "/bogus\n/quit\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("unknown command /bogus: /help lists them", result.Stderr);
        Assert.DoesNotContain("[1]", result.Stdout); // nothing was answered
    }
}
