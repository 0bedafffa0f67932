using System.Text.Json;
using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary><c>mltutor grade --batch</c> on the real notes: the contract's shape, and answers of the grading dev set
/// ordered as a person would order them.</summary>
[Collection("shared corpus")]
public sealed class GradeTests(SharedCorpusIndex shared)
{
    /// <summary>Dev items whose four answers are graded here (the whole set is measured by tests/grading/measure.py).</summary>
    private static readonly string[] Items = ["g-dev-01", "g-dev-10", "g-dev-14"];

    [SkippableFact]
    public void Grade_batch_json_gives_the_contract_and_ranks_strong_above_wrong_and_fails_off_topic()
    {
        var set = File.ReadLines(SharedFolder.Require("eval/grading.dev.jsonl")).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(e => Items.Contains(e.GetProperty("id").GetString())).ToList();
        Assert.Equal(Items.Length, set.Count);
        var batch = Path.Combine(CliRunner.NewTempDir(), "answers.jsonl");
        File.WriteAllLines(batch, set.SelectMany(item => item.GetProperty("answers").EnumerateArray().Select(a => JsonSerializer.Serialize(new
        {
            id = $"{item.GetProperty("id").GetString()}/{a.GetProperty("grade").GetString()}",
            question = item.GetProperty("question").GetString(),
            answer = a.GetProperty("text").GetString(),
        }))));

        var result = CliRunner.Run(shared.Args("grade", "--batch", batch, "--json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.JsonLines();
        Assert.Equal(Items.Length * 4, lines.Count);
        var scores = new Dictionary<string, (double Score, string Verdict)>();
        foreach (var line in lines)
        {
            Assert.Equal(["id", "score", "verdict", "covered", "missed", "citations"], line.EnumerateObject().Select(p => p.Name));
            var score = line.GetProperty("score").GetDouble();
            Assert.InRange(score, 0, 1);
            var verdict = line.GetProperty("verdict").GetString()!;
            Assert.Contains(verdict, new[] { "pass", "partial", "fail" });
            var points = line.GetProperty("covered").EnumerateArray().Concat(line.GetProperty("missed").EnumerateArray()).ToList();
            Assert.NotEmpty(points);
            foreach (var p in points)
            {
                Assert.Equal(["text", "file", "startLine", "endLine"], p.EnumerateObject().Select(q => q.Name));
                // Each key point is on the lines it cites.
                var lines2 = File.ReadAllLines(Path.Combine(shared.Corpus, p.GetProperty("file").GetString()!));
                var cited = string.Join(" ", lines2[(p.GetProperty("startLine").GetInt32() - 1)..p.GetProperty("endLine").GetInt32()]);
                var lastWord = p.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].Trim('.', ',', '*', '$');
                Assert.Contains(lastWord, cited);
            }
            var citations = line.GetProperty("citations").EnumerateArray().ToList();
            Assert.NotEmpty(citations);
            foreach (var c in citations)
                Assert.Equal(["n", "file", "startLine", "endLine", "headingPath", "chunkId"], c.EnumerateObject().Select(q => q.Name));
            scores[line.GetProperty("id").GetString()!] = (score, verdict);
        }
        foreach (var item in Items)
        {
            Assert.True(scores[$"{item}/strong"].Score > scores[$"{item}/wrong"].Score, $"{item}: strong {scores[$"{item}/strong"]} not above wrong {scores[$"{item}/wrong"]}");
            Assert.True(scores[$"{item}/strong"].Score > scores[$"{item}/partial"].Score, $"{item}: strong not above partial");
            Assert.Equal("fail", scores[$"{item}/off-topic"].Verdict);
        }
    }

    [SkippableFact]
    public void Grade_plain_output_names_the_verdict_and_the_key_points_with_their_lines()
    {
        var batch = Path.Combine(CliRunner.NewTempDir(), "answers.jsonl");
        File.WriteAllText(batch, JsonSerializer.Serialize(new
        {
            id = "bert",
            question = "How are BERT and GPT different?",
            answer = "BERT is the decoder and GPT is the encoder: BERT generates text left to right, while GPT does masked language modeling.",
        }) + "\n");
        var result = CliRunner.Run(shared.Args("grade", "--batch", batch));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("bert: fail (", result.Stdout);
        Assert.Contains("missed ", result.Stdout);
        Assert.Matches(@"\.(md|txt):\d+", result.Stdout);
        // The swapped terms are named.
        Assert.Contains("the answer says \"decoder\" where the notes say \"encoder\"", result.Stdout);
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"question\": \"What is dropout?\", \"answer\": \"It drops units.\"}\nnot json", "answers.jsonl:2: not a JSON object")]
    [InlineData("\n{\"id\": \"a\", \"question\": \"What is dropout?\"}", "answers.jsonl:2: no \"answer\"")]
    [InlineData("{\"id\": \"a\", \"question\": \"What is dropout?\", \"answer\": 3}", "answers.jsonl:1: \"answer\" is number, not a string")]
    [InlineData("{\"id\": \"a\", \"answer\": \"It drops units.\"}", "answers.jsonl:1: no \"question\" text")]
    [InlineData("[1, 2]", "answers.jsonl:1: not a JSON object")]
    [InlineData("\n\n", "answers.jsonl holds no answers")]
    public void A_bad_line_of_a_grade_batch_is_one_error_naming_the_file_and_line(string content, string expected)
    {
        var batch = Path.Combine(CliRunner.NewTempDir(), "answers.jsonl");
        File.WriteAllText(batch, content);
        var result = CliRunner.Run("grade", "--json", "--batch", batch, "--corpus", CliRunner.CopyOfSampleNotes(), "--index", CliRunner.NewTempDir());
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains(expected, result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
