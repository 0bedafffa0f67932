using System.Text;
using System.Text.Json;

namespace MlTutor.Cli.Tests;

/// <summary>
/// What a question and the options may be: a question is read up to Retrieval:MaxQuestionChars characters, --k from 1 to
/// 100, any text is a question (half a surrogate pair too), and every mistake on the command line is one line on stderr
/// with exit code 2, never the help text.
/// </summary>
public sealed class QuestionAndOptionLimitsTests
{
    private static string[] WithIndex(params string[] args) => [.. args, "--index", CliRunner.SampleIndex];

    /// <summary>A question of <paramref name="length"/> characters, of real sentences (each a part of the question).</summary>
    private static string LongQuestion(int length)
    {
        const string sentence = "What does dropout do to the weights of a network and why does it help? ";
        return new StringBuilder(length + sentence.Length).Insert(0, sentence, length / sentence.Length + 1).ToString(0, length);
    }

    private static string BatchFile(params string[] lines)
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(file, lines);
        return file;
    }

    /// <summary>A result whose stdout may be long, shortened for a failure message.</summary>
    private static string Shown(CliResult result) =>
        $"exit {result.ExitCode}\n--- stdout\n{(result.Stdout.Length > 2000 ? result.Stdout[..2000] + "…" : result.Stdout)}\n--- stderr\n{result.Stderr}";

    // A question of 1 MB once took 228 s and 700 MB to search and 189 s to answer.
    [Theory]
    [InlineData("search")]
    [InlineData("ask")]
    public void A_question_of_a_megabyte_in_a_batch_is_cut_with_a_warning_and_answered_at_once(string command)
    {
        var question = LongQuestion(1 << 20);
        var file = BatchFile(JsonSerializer.Serialize(new { id = "big", question }));
        var result = CliRunner.Run(WithIndex(command, "--json", "--batch", file), timeoutSeconds: 60);
        Assert.True(result.ExitCode == 0, Shown(result));
        Assert.Contains($"warning: {file}:1: the question is 1,048,576 characters long: only its first 2,000 are read (setting Retrieval:MaxQuestionChars)", result.Stderr);
        var line = Assert.Single(result.JsonLines());
        Assert.Equal("big", line.GetProperty("id").GetString());
        if (command == "ask") Assert.Equal(question[..2000], line.GetProperty("question").GetString());
        else Assert.NotEqual(0, line.GetProperty("results").GetArrayLength());
    }

    [Theory]
    [InlineData("search")]
    [InlineData("ask")]
    public void A_long_question_given_as_an_argument_is_cut_with_a_warning(string command)
    {
        // Linux passes at most 128 KB in one argument.
        var result = CliRunner.Run(WithIndex(command, "--json", LongQuestion(100_000)), timeoutSeconds: 60);
        Assert.True(result.ExitCode == 0, Shown(result));
        Assert.Contains("warning: the question is 100,000 characters long: only its first 2,000 are read (setting Retrieval:MaxQuestionChars)", result.Stderr);
    }

    [Fact]
    public void A_long_chat_line_is_cut_with_a_warning_and_the_conversation_goes_on()
    {
        var result = CliRunner.Run(WithIndex("chat"), stdin: LongQuestion(1 << 20) + "\nWhat is dropout?\n/quit\n", timeoutSeconds: 60);
        Assert.True(result.ExitCode == 0, Shown(result));
        Assert.Contains("warning: the question is 1,048,576 characters long: only its first 2,000 are read", result.Stderr);
        Assert.Contains("Dropout", result.Stdout);
    }

    [Fact]
    public void The_question_cap_is_a_setting()
    {
        const string question = "What is dropout and why does it help a network generalise?";
        var result = CliRunner.Run(WithIndex("ask", "--json", question), new Dictionary<string, string> { ["MLTUTOR__Retrieval__MaxQuestionChars"] = "20" });
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"the question is {question.Length} characters long: only its first 20 are read", result.Stderr);
        Assert.Equal(question[..20], result.Json().GetProperty("question").GetString());
    }

    [Theory]
    [InlineData("Retrieval__MaxQuestionChars", "0", "at least 1")]
    [InlineData("Retrieval__K", "1000", "at most 100")]
    // Four fields search up to this many terms each, and Lucene refuses a query of more than 1024 clauses.
    [InlineData("Retrieval__Keyword__MaxQueryTerms", "1000", "at most 256")]
    public void A_limit_setting_out_of_its_range_is_refused(string key, string value, string allowed)
    {
        var result = CliRunner.Run(WithIndex("search", "What is dropout?"), new Dictionary<string, string> { ["MLTUTOR__" + key] = value });
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains(key.Replace("__", ":"), line);
        Assert.Contains(allowed, line);
    }

    // --k 100000 once made one ask take 43 s.
    [Theory]
    [InlineData("search", "100000")]
    [InlineData("search", "0")]
    [InlineData("search", "99999999999999999999")]
    [InlineData("ask", "100000")]
    [InlineData("ask", "101")]
    [InlineData("ask", "-1")]
    [InlineData("chat", "100000")]
    [InlineData("eval", "100000")]
    [InlineData("eval", "0")]
    public void K_outside_1_to_100_is_one_line_naming_the_range(string command, string k)
    {
        string[] args = command is "search" or "ask" ? [command, "--k", k, "What is dropout?"] : [command, "--k", k];
        var result = CliRunner.Run(WithIndex(args), stdin: "/quit\n", timeoutSeconds: 60);
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains($"--k takes a whole number from 1 to 100, not {k}", line);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void K_of_100_still_searches()
    {
        var result = CliRunner.Run(WithIndex("search", "--json", "--k", "100", "What is dropout?"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.InRange(result.Json().GetProperty("results").GetArrayLength(), 6, 100);
    }

    [Theory]
    [InlineData("search")]
    [InlineData("ask")]
    public void Half_a_surrogate_pair_in_a_batch_line_is_read_as_a_replacement_character(string command)
    {
        var file = BatchFile(
            """{"id":"high","question":"What is \ud800 dropout?"}""",
            """{"id":"low\udc00","question":"\udc00 What is weight decay?"}""",
            """{"id":"pair","question":"What is dropout \ud83d\ude00?"}""");
        var result = CliRunner.Run(WithIndex(command, "--json", "--batch", file));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("unexpected error", result.Stderr);
        var lines = result.JsonLines();
        Assert.Equal(["high", "low\uFFFD", "pair"], lines.Select(l => l.GetProperty("id").GetString()));
        if (command == "ask")
            Assert.Equal(["What is \uFFFD dropout?", "\uFFFD What is weight decay?", "What is dropout \U0001F600?"],
                lines.Select(l => l.GetProperty("question").GetString()));
    }

    [Fact]
    public void Half_a_surrogate_pair_in_an_embed_batch_is_read_as_a_replacement_character()
    {
        var file = BatchFile("""{"text":"dropout \ud800"}""");
        var result = CliRunner.Run("embed", "--json", "--batch", file);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(384, Assert.Single(result.JsonLines()).GetProperty("embedding").GetArrayLength());
    }

    [Fact]
    public void Half_a_surrogate_pair_in_an_argument_is_no_error()
    {
        var result = CliRunner.Run(WithIndex("ask", "--json", "What is \ud800 dropout?"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\uFFFD", result.Json().GetProperty("question").GetString()!);
    }

    [Theory]
    [InlineData("unknown option '--bogus'", "search", "--bogus", "What is dropout?")]
    [InlineData("unknown option '--jsn'", "ask", "--jsn", "What is dropout?")]
    [InlineData("unknown option '--bogus'", "ask", "--bogus")]
    [InlineData("'--bogus'", "index", "--bogus")]
    [InlineData("'extra'", "eval", "--k", "3", "extra")]
    [InlineData("'--k'", "search", "What is dropout?", "--k")]
    [InlineData("'--retriever'", "ask", "What is dropout?", "--retriever")]
    [InlineData("'cite'", "cite")]
    [InlineData("'--batch'", "embed")]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("unknown option '--bogus'", "--bogus")]
    [InlineData("give a command")]
    public void A_command_line_the_parser_refuses_is_one_line_with_no_help_text(string expected, params string[] args)
    {
        var result = CliRunner.Run(args);
        var line = UserErrors.AssertOneLine(result);
        Assert.StartsWith("mltutor: ", line);
        Assert.Contains(expected, line);
        var command = args.Length > 0 && !args[0].StartsWith('-') && args[0] != "frobnicate" ? " " + args[0] : "";
        Assert.EndsWith($"(see mltutor{command} --help)", line);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("search", "--help")]
    [InlineData("ask", "-h")]
    [InlineData("--version")]
    public void Help_and_version_still_print_and_exit_0(params string[] args)
    {
        var result = CliRunner.Run(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEqual("", result.Stdout.Trim());
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void A_question_that_starts_with_a_dash_is_asked_after_a_double_dash()
    {
        var result = CliRunner.Run("ask", "--json", "--index", CliRunner.SampleIndex, "--", "--dropout");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("--dropout", result.Json().GetProperty("question").GetString());
    }

    [Theory]
    [InlineData("search")]
    [InlineData("ask")]
    public void A_question_beside_a_batch_file_is_an_error(string command)
    {
        var file = BatchFile("""{"id":"q1","question":"What is dropout?"}""");
        var line = UserErrors.AssertOneLine(CliRunner.Run(WithIndex(command, "--json", "--batch", file, "What is weight decay?")));
        Assert.Contains($"give a QUESTION or --batch {file}, not both", line);
    }

    [Theory]
    [InlineData("search", "")]
    [InlineData("search", "\n   \n\n")]
    [InlineData("ask", "")]
    [InlineData("ask", "\n\t\n")]
    [InlineData("bench", "\n")]
    public void A_batch_file_without_questions_says_so(string command, string content)
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllText(file, content);
        string[] args = command == "bench" ? [command, "--questions", file] : [command, "--batch", file];
        var line = UserErrors.AssertOneLine(CliRunner.Run(WithIndex(args)));
        Assert.Contains($"{file} holds no questions", line);
    }

    [Fact]
    public void An_embed_batch_without_texts_says_so()
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "texts.jsonl");
        File.WriteAllText(file, "\n\n");
        var line = UserErrors.AssertOneLine(CliRunner.Run("embed", "--json", "--batch", file));
        Assert.Contains($"{file} holds no texts", line);
    }

    [Theory]
    [InlineData("ask", "sub")]
    [InlineData("search", "sub")]
    [InlineData("index", "sub/deeper")]
    public void An_index_path_inside_a_file_names_the_file(string command, string below)
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "notes.md");
        File.WriteAllText(file, "hi\n");
        var index = Path.Combine(file, below);
        string[] args = command == "index" ? [command, "--index", index] : [command, "--index", index, "What is dropout?"];
        var line = UserErrors.AssertOneLine(CliRunner.Run(args));
        Assert.Contains($"{index}: {file} is a file, not a folder", line);
        Assert.Contains("--index DIR", line);
        Assert.Equal("hi\n", File.ReadAllText(file));
    }
}
