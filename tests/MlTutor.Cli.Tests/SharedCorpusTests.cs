using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary>The user's real notes and the dev questions: citations must point at the evidence lines.</summary>
[Collection("shared corpus")]
public sealed class SharedCorpusTests(SharedCorpusIndex shared)
{
    [SkippableFact]
    public void Indexing_the_real_notes_reports_every_file_and_no_warnings_for_good_notes()
    {
        Assert.Equal(5, shared.Report.GetProperty("files").GetInt32());
        Assert.True(shared.Report.GetProperty("chunks").GetInt32() > 100);
        // The notes are well formed: what is said of them is only where a block is longer than the encoder reads and
        // is split (a note of how it was cut, naming the line), never a fence or formula left open or a file skipped.
        Assert.All(shared.Report.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!),
            w => Assert.Contains("longer than the encoder reads", w));
    }

    [SkippableFact]
    public void Search_batch_finds_the_evidence_in_the_top_five_for_most_dev_questions()
    {
        var questions = DevQuestion.Load();
        var batch = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(batch, questions.Select(q => System.Text.Json.JsonSerializer.Serialize(new { id = q.Id, question = q.Question })));
        var result = CliRunner.Run(shared.Args("search", "--batch", batch, "--k", "5", "--json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.JsonLines();
        Assert.Equal(questions.Count, lines.Count);
        var answerable = 0;
        var hits = 0;
        var joined = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            Assert.Equal(questions[i].Id, lines[i].GetProperty("id").GetString());
            foreach (var r in lines[i].GetProperty("results").EnumerateArray())
            {
                // Every passage shows exactly the lines it cites, neighbouring chunks joined into one included.
                var (file, start, end) = (r.GetProperty("file").GetString()!, r.GetProperty("startLine").GetInt32(), r.GetProperty("endLine").GetInt32());
                var text = r.GetProperty("text").GetString()!;
                var cited = string.Join("\n", File.ReadAllLines(Path.Combine(shared.Corpus, file))[(start - 1)..end]);
                if (start == end) Assert.Contains(text, cited);
                else Assert.Equal(cited, text);
                if (r.GetProperty("chunkId").GetString()!.Contains('+')) joined++;
            }
            if (!questions[i].Answerable) continue;
            answerable++;
            if (lines[i].GetProperty("results").EnumerateArray().Any(r => questions[i].IsHit(
                    r.GetProperty("file").GetString()!, r.GetProperty("startLine").GetInt32(), r.GetProperty("endLine").GetInt32())))
                hits++;
        }
        Assert.Equal(103, answerable);
        Assert.True(hits >= 0.85 * answerable, $"recall@5 {hits}/{answerable}");
        Assert.True(joined > 0, "no passage joined two neighbouring chunks");
    }

    [SkippableFact]
    public void Eval_scores_the_three_retrievers_and_calibrates_the_not_covered_signals()
    {
        var questions = SharedFolder.Require("eval/questions.dev.jsonl");
        var result = CliRunner.Run(shared.Args("eval", "--questions", questions, "--json"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.JsonLines().Last();
        Assert.Equal(103, report.GetProperty("answerable").GetInt32());
        var retrievers = report.GetProperty("retrievers");
        double Figure(string retriever, string name) => retrievers.GetProperty(retriever).GetProperty(name).GetDouble();
        // Fusion beats each of its parts on both ranking figures.
        foreach (var figure in new[] { "recall@5", "mrr@10" })
        {
            Assert.True(Figure("hybrid", figure) > Figure("dense", figure), $"{figure}: hybrid {Figure("hybrid", figure)}, dense {Figure("dense", figure)}");
            Assert.True(Figure("hybrid", figure) > Figure("keyword", figure), $"{figure}: hybrid {Figure("hybrid", figure)}, keyword {Figure("keyword", figure)}");
        }
        // The configured gate keeps answerable questions answered and marks most unanswerable ones.
        Assert.True(Figure("hybrid", "answerableAnswered") >= 0.95, report.ToString());
        Assert.True(Figure("hybrid", "unanswerableNotCovered") >= 0.85, report.ToString());
        // The calibration of each signal keeps at least 95% answered, as the rule that sets Retrieval:Coverage asks.
        var calibration = report.GetProperty("coverageCalibration");
        foreach (var signal in new[] { "TopDense", "TopKeywordNormalized", "TopFused", "Agreement" })
            Assert.True(calibration.GetProperty(signal).GetProperty("answerableAnswered").GetDouble() >= 0.95, signal);
        Assert.True(calibration.GetProperty("TopDense").GetProperty("unanswerableNotCovered").GetDouble() >= 0.8, calibration.ToString());
    }

    [SkippableFact]
    public void Ask_json_cites_the_evidence_lines_for_most_dev_questions()
    {
        var questions = DevQuestion.Load().Where(q => q.Answerable).ToList();
        var batch = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(batch, questions.Select(q => System.Text.Json.JsonSerializer.Serialize(new { id = q.Id, question = q.Question })));
        var result = CliRunner.Run(shared.Args("ask", "--json", "--batch", batch));
        Assert.True(result.ExitCode == 0, result.ToString());
        var answers = result.JsonLines();
        Assert.Equal(questions.Count, answers.Count);
        var cited = 0;
        for (var i = 0; i < questions.Count; i++)
        {
            var answer = answers[i];
            Assert.Equal(questions[i].Id, answer.GetProperty("id").GetString());
            var text = answer.GetProperty("answer").GetString()!;
            var citations = answer.GetProperty("citations").EnumerateArray().ToList();
            // Every citation is used in the text and every marker has a citation.
            Assert.All(citations, c => Assert.Contains($"[{c.GetProperty("n").GetInt32()}]", text));
            if (citations.Any(c => questions[i].IsHit(c.GetProperty("file").GetString()!, c.GetProperty("startLine").GetInt32(), c.GetProperty("endLine").GetInt32())))
                cited++;
        }
        Assert.True(cited >= 0.6 * questions.Count, $"{cited}/{questions.Count} answers cite the evidence lines");
    }
}
