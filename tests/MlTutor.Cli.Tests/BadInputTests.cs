namespace MlTutor.Cli.Tests;

/// <summary>Bad notes are skipped with a warning naming them; a missing folder or model is one clear line and a non-zero exit.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void Binary_non_utf8_and_empty_files_are_warned_about_and_the_rest_indexed()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "good.md"), "# Dropout\n\nDropout zeroes random activations during training so units cannot co-adapt.\n");
        File.WriteAllBytes(Path.Combine(corpus, "binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x10]);
        File.WriteAllBytes(Path.Combine(corpus, "latin1.txt"), [.. "Na\u00efve Bayes assumes features are independent given the class.\n"u8.ToArray()[..2], 0xEF, .. " Bayes assumes features are independent given the class.\n"u8.ToArray()]);
        File.WriteAllText(Path.Combine(corpus, "empty.md"), "");
        var index = CliRunner.NewTempDir();

        var result = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("binary.md", result.Stderr);
        Assert.Contains("latin1.txt", result.Stderr);
        Assert.Contains("empty.md", result.Stderr);
        var report = result.Json();
        Assert.True(report.GetProperty("chunks").GetInt32() >= 2, result.ToString()); // good.md and the decoded latin1.txt

        var ask = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains(ask.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "good.md");
    }

    [Fact]
    public void An_empty_corpus_indexes_nothing_and_answers_not_covered()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        var index = CliRunner.NewTempDir();
        var result = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What is dropout?");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Json().GetProperty("notCovered").GetBoolean());
    }

    [Fact]
    public void A_missing_corpus_folder_is_one_clear_line_and_a_non_zero_exit()
    {
        var missing = Path.Combine(CliRunner.NewTempDir(), "no-such-notes");
        var result = CliRunner.Run("ask", "--corpus", missing, "--index", CliRunner.NewTempDir(), "What is dropout?");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_bench_question_file_that_is_not_json_lines_names_the_line_and_stops_before_measuring()
    {
        var file = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(file, ["{\"id\": \"q1\", \"question\": \"What is dropout?\"}", "", "{\"id\": \"q2\"}"]);
        var result = CliRunner.Run("bench", "--questions", file, "--index", CliRunner.NewTempDir());
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}:3", result.Stderr);
        Assert.DoesNotContain("bench:", result.Stderr); // the encoder measurement never started
    }

    [Fact]
    public void A_missing_model_says_how_to_fix_it()
    {
        var empty = CliRunner.NewTempDir("mltutor-model");
        var result = CliRunner.Run(["ask", "--index", CliRunner.NewTempDir(), "What is dropout?"],
            new Dictionary<string, string> { ["MLTUTOR__Model__Directory"] = empty });
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("setup", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void Unknown_option_values_are_user_errors()
    {
        var result = CliRunner.Run("search", "--retriever", "magic", "dropout");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dense, keyword or hybrid", result.Stderr);
    }

    [Theory]
    [InlineData("{\"id\":\"q2\",\"question\":\"What is dropout?\",\"answerable\":true,\"evidence\":[{\"file\":\"nowhere.md\",\"quote\":\"Dropout\"}]}", "nowhere.md")]
    [InlineData("{\"id\":\"q2\",\"question\":\"What is dropout?\",\"answerable\":true,\"evidence\":[{\"file\":\"good.md\",\"quote\":\"not in the note\"}]}", "not in the note")]
    [InlineData("{\"id\":\"q2\",\"question\":\"What is dropout?\",\"answerable\":true}", "no evidence")]
    [InlineData("{\"id\":\"q2\",\"question\":\"What is dropout?\",\"answerable\":\"yes\",\"evidence\":[]}", "not a valid question")]
    public void An_eval_question_file_with_a_bad_line_is_a_user_error_naming_the_line(string badLine, string expected)
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "good.md"), "# Dropout\n\nDropout zeroes random activations during training.\n");
        var file = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(file, ["{\"id\":\"q1\",\"question\":\"What does dropout zero?\",\"answerable\":true,\"evidence\":[{\"file\":\"good.md\",\"quote\":\"Dropout zeroes\"}]}", badLine]);
        var result = CliRunner.Run("eval", "--questions", file, "--corpus", corpus, "--index", CliRunner.NewTempDir());
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains($"{file}:2:", line);
        Assert.Contains(expected, line);
    }

    private const string DropoutNote = CliRunner.DropoutNote;

    /// <summary>A corpus of one note (good.md) and its index, built.</summary>
    private static (string Corpus, string Index) IndexedDropoutNote() => CliRunner.IndexedCopyOfDropoutNote();

    [Fact]
    public void An_emptied_corpus_folder_keeps_the_index_and_says_how_to_empty_it()
    {
        var (corpus, index) = IndexedDropoutNote();
        var current = File.ReadAllText(Path.Combine(index, "CURRENT"));

        // Emptied, or only files that are not notes: what an unmounted drive or a wrong folder looks like.
        File.Delete(Path.Combine(corpus, "good.md"));
        File.WriteAllText(Path.Combine(corpus, "train.py"), "print('dropout')\n");
        var line = UserErrors.AssertOneLine(CliRunner.Run("index", "--corpus", corpus, "--index", index));
        Assert.Contains($"no notes (.md, .markdown, .txt) in {corpus}", line);
        Assert.Contains($"delete {index}", line);
        UserErrors.AssertOneLine(CliRunner.Run("index", "--rebuild", "--corpus", corpus, "--index", index));
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT")));
        // A question is still answered, from the kept index, with the warning.
        var kept = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("answering from the kept index", kept.Stderr);
        Assert.Contains(kept.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "good.md");
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT")));

        File.WriteAllText(Path.Combine(corpus, "good.md"), DropoutNote);
        var ask = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.DoesNotContain("indexed", ask.Stderr); // the kept index was still up to date: nothing was embedded again
    }

    [Fact]
    public void Notes_that_are_all_skipped_keep_the_index_and_the_message_says_why()
    {
        var (corpus, index) = IndexedDropoutNote();

        // A size limit set too low skips every note: the reason is in the message, not "no notes".
        var tooSmall = new Dictionary<string, string> { ["MLTUTOR__Corpus__MaxFileBytes"] = "10" };
        var line = UserErrors.AssertOneLine(CliRunner.Run(["index", "--corpus", corpus, "--index", index], tooSmall));
        Assert.Contains("no readable notes (e.g. good.md", line);
        Assert.Contains("index of 1 note in", line);
        var ask = CliRunner.Run(["ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?"], tooSmall);
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains(ask.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "good.md");
        // cite reads notes as the index does: the same limit refuses the file.
        UserErrors.AssertOneLine(CliRunner.Run(["cite", "--corpus", corpus, "--index", index, "good.md:1"], tooSmall));
    }

    [Fact]
    public void A_folder_with_no_notes_says_so()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "train.py"), "print('dropout')\n");
        var result = CliRunner.Run("index", "--corpus", corpus, "--index", CliRunner.NewTempDir());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{corpus}: no notes (.md, .markdown, .txt) found", result.Stderr);
    }
}
