namespace MlTutor.Cli.Tests;

/// <summary>The walking skeleton end to end: the real program, model, FAISS, SQLite and Lucene files.</summary>
public sealed class AskTests
{
    [Fact]
    public void Ask_json_on_the_sample_notes_cites_the_adam_section()
    {
        var index = CliRunner.SampleIndex;
        var result = CliRunner.Run("ask", "--json", "--index", index, "What does Adam add to RMSprop?");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal("What does Adam add to RMSprop?", json.GetProperty("question").GetString());
        Assert.False(json.GetProperty("notCovered").GetBoolean());
        var citations = json.GetProperty("citations").EnumerateArray().ToList();
        Assert.NotEmpty(citations);
        var answer = json.GetProperty("answer").GetString()!;
        foreach (var c in citations)
        {
            Assert.Contains($"[{c.GetProperty("n").GetInt32()}]", answer);
            Assert.True(c.GetProperty("startLine").GetInt32() <= c.GetProperty("endLine").GetInt32());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("chunkId").GetString()));
        }
        // The Adam section of corpus/optimizers.md.
        var lines = File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "corpus", "optimizers.md"));
        var adam = Array.FindIndex(lines, l => l.StartsWith("## Adam")) + 1;
        var next = Array.FindIndex(lines, adam, l => l.StartsWith("## ")) + 1;
        Assert.Contains(citations, c => c.GetProperty("file").GetString() == "optimizers.md"
            && c.GetProperty("startLine").GetInt32() >= adam && c.GetProperty("endLine").GetInt32() < next);
    }

    [Fact]
    public void Ask_in_words_prints_the_answer_and_numbered_sources()
    {
        var result = CliRunner.Run("ask", "--index", CliRunner.SampleIndex, "What does dropout do during training?");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("[1]", result.Stdout);
        Assert.Contains("Sources", result.Stdout);
        Assert.Matches(@"\[1\] regularization\.md:\d+-\d+", result.Stdout);
    }

    [Fact]
    public void Search_shows_a_passage_copied_into_two_notes_once_and_keeps_room_for_another_source()
    {
        var corpus = CliRunner.NewTempDir();
        const string copied = "Gradient clipping rescales the gradient whenever its norm exceeds a threshold, which keeps exploding gradients from wrecking a training step in recurrent networks.";
        File.WriteAllText(Path.Combine(corpus, "rnn.md"), $"# Recurrent networks\n\n## Exploding gradients\n\n{copied}\n");
        File.WriteAllText(Path.Combine(corpus, "cheatsheet.md"), $"# Cheat sheet\n\n## Training tricks\n\n{copied}\n");
        File.WriteAllText(Path.Combine(corpus, "lstm.md"), "# LSTM\n\n## Why LSTMs help\n\nThe LSTM's additive cell state lets gradients flow across many steps, so they neither vanish nor explode as easily as in a plain RNN.\n");
        File.WriteAllText(Path.Combine(corpus, "other.md"), "# Trees\n\n## Splits\n\nA decision tree splits on the feature that most reduces impurity.\n");

        var result = CliRunner.Run("search", "--json", "--k", "2", "--corpus", corpus, "--index", CliRunner.NewTempDir(), "How does gradient clipping stop exploding gradients?");
        Assert.True(result.ExitCode == 0, result.ToString());
        var files = result.Json().GetProperty("results").EnumerateArray().Select(r => r.GetProperty("file").GetString()).ToList();
        Assert.Equal(2, files.Count);
        // One copy of the clipping passage heads the list; the second place goes to another note, not to the copy.
        Assert.Contains(files[0], new[] { "rnn.md", "cheatsheet.md" });
        Assert.Equal("lstm.md", files[1]);
    }

    [Fact]
    public void A_question_about_something_the_notes_never_name_is_not_covered_and_the_answer_says_which_word()
    {
        var index = CliRunner.SampleIndex;
        // Close to the sample notes on self-attention (the dense match alone would answer), but they never mention FlashAttention.
        var json = AskNotCovered(index, "How does FlashAttention compute self-attention over queries, keys and values?");
        Assert.Contains("never mention FlashAttention", json.GetProperty("answer").GetString());

        var known = CliRunner.Run("ask", "--json", "--index", index, "How does self-attention in a transformer weigh the tokens?");
        Assert.True(known.ExitCode == 0, known.ToString());
        Assert.False(known.Json().GetProperty("notCovered").GetBoolean(), known.ToString());
    }

    [Fact]
    public void A_question_the_notes_do_not_cover_is_marked_not_covered()
    {
        var index = CliRunner.SampleIndex;
        AskNotCovered(index, "What is the capital city of Australia and its population?");
    }

    /// <summary>Asks with --json and checks the answer is marked not covered and cites nothing; returns the JSON.</summary>
    private static System.Text.Json.JsonElement AskNotCovered(string index, string question)
    {
        var result = CliRunner.Run("ask", "--json", "--index", index, question);
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.True(json.GetProperty("notCovered").GetBoolean(), result.ToString());
        Assert.Empty(json.GetProperty("citations").EnumerateArray());
        return json;
    }

    [Fact]
    public void Cite_prints_the_cited_lines()
    {
        var result = CliRunner.Run("cite", "--json", "regularization.md:1-3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Json().GetProperty("lines").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(File.ReadAllLines(Path.Combine(CliRunner.RepoRoot, "corpus", "regularization.md"))[..3], lines);
    }

    [Fact]
    public void Cite_outside_the_corpus_or_past_the_end_is_a_clear_error()
    {
        var outside = CliRunner.Run("cite", "../README.md:1");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("outside the corpus", outside.Stderr);
        var past = CliRunner.Run("cite", "regularization.md:100000");
        Assert.Equal(2, past.ExitCode);
        Assert.Contains("does not exist", past.Stderr);
    }

    private static string SampleNote(string name) => Path.Combine(CliRunner.RepoRoot, "corpus", name);

    [Fact]
    public void Cite_counts_lines_as_an_editor_does_when_the_note_ends_in_a_newline()
    {
        var text = File.ReadAllText(SampleNote("optimizers.md"));
        Assert.EndsWith("\n", text);
        var count = text.Count(c => c == '\n'); // what wc -l prints

        var last = CliRunner.Run("cite", "--json", $"optimizers.md:{count}");
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Equal(text.TrimEnd('\n').Split('\n')[^1], Assert.Single(last.Json().GetProperty("lines").EnumerateArray()).GetString());

        var past = CliRunner.Run("cite", $"optimizers.md:{count + 1}");
        Assert.Equal(2, past.ExitCode);
        Assert.Contains($"has {count} lines", past.Stderr);
    }

    [Fact]
    public void Cite_an_end_past_the_note_is_the_same_one_line_error_as_a_start_past_it()
    {
        var count = File.ReadAllText(SampleNote("optimizers.md")).Count(c => c == '\n');
        foreach (var json in new[] { false, true })
        {
            var result = CliRunner.Run(json ? ["cite", "--json", $"optimizers.md:{count - 2}-999"] : ["cite", $"optimizers.md:{count - 2}-999"]);
            Assert.Equal(2, result.ExitCode);
            Assert.Equal("", result.Stdout);
            Assert.Single(result.Stderr.Trim().Split('\n'));
            Assert.Contains($"has {count} lines; line 999 does not exist", result.Stderr);
        }
    }

    [Fact]
    public void Cite_refuses_a_file_that_index_skips_as_binary()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllBytes(Path.Combine(corpus, "binary.md"), [0x23, 0x20, 0x62, 0x0A, 0x00, 0x01, 0x02, 0x1B, 0x5B, 0x32, 0x4A, 0x0A]);
        var result = CliRunner.Run("cite", "--corpus", corpus, "--index", CliRunner.NewTempDir(), "binary.md:1-2");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("binary.md: looks binary", result.Stderr);
        Assert.DoesNotContain('\u001b', result.Stderr);
    }

    [Fact]
    public void Cite_numbers_the_lines_of_a_classic_mac_note_as_the_index_does()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "cr.md"), "# CR only\r\rBoosting builds trees sequentially.\rBagging averages them.\r");
        var result = CliRunner.Run("cite", "--json", "--corpus", corpus, "--index", CliRunner.NewTempDir(), "cr.md:3-4");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["Boosting builds trees sequentially.", "Bagging averages them."],
            result.Json().GetProperty("lines").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Cite_rejects_a_negative_context_and_gives_the_context_in_json_marked_apart()
    {
        var negative = CliRunner.Run("cite", "--context", "-1", "optimizers.md:5");
        Assert.Equal(2, negative.ExitCode);
        Assert.Single(negative.Stderr.Trim().Split('\n'));
        Assert.Contains("--context", negative.Stderr);

        var lines = File.ReadAllLines(SampleNote("optimizers.md"));
        var result = CliRunner.Run("cite", "--json", "--context", "2", "optimizers.md:2-3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(lines[1..3], json.GetProperty("lines").EnumerateArray().Select(e => e.GetString()));
        var before = json.GetProperty("context").GetProperty("before").EnumerateArray().ToList();
        var after = json.GetProperty("context").GetProperty("after").EnumerateArray().ToList();
        // Only one line exists before line 2; two follow line 3.
        Assert.Equal([(1, lines[0])], before.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("text").GetString()!)));
        Assert.Equal([(4, lines[3]), (5, lines[4])], after.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("text").GetString()!)));
    }

    [Fact]
    public void Cite_takes_any_context_size_and_only_notes_the_index_reads()
    {
        var lines = File.ReadAllLines(SampleNote("optimizers.md"));
        foreach (var json in new[] { false, true })
        {
            var huge = CliRunner.Run(json ? ["cite", "--json", "--context", "2147483647", "optimizers.md:2-3"] : ["cite", "--context", "2147483647", "optimizers.md:2-3"]);
            Assert.True(huge.ExitCode == 0, huge.ToString());
            Assert.Contains(lines[^1].Trim()[..20], huge.Stdout); // the whole note, to its last line (the terminal may wrap it)
        }

        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        Directory.CreateDirectory(Path.Combine(corpus, ".obsidian"));
        File.WriteAllText(Path.Combine(corpus, ".obsidian", "workspace.md"), "A file of the editor's, not a note.\n");
        File.WriteAllText(Path.Combine(corpus, "train.py"), "print('dropout')\n");
        foreach (var file in new[] { ".obsidian/workspace.md", "train.py" })
        {
            var refused = CliRunner.Run("cite", "--corpus", corpus, "--index", CliRunner.NewTempDir(), $"{file}:1");
            Assert.Equal(2, refused.ExitCode);
            Assert.Single(refused.Stderr.Trim().Split('\n'));
        }
    }
}
