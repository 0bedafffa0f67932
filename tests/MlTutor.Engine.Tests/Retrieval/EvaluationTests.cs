using Xunit;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using MlTutor.Retrieval.Evaluation;

namespace MlTutor.Tests.Retrieval;

public sealed class EvaluationTests
{
    [Fact]
    public void Ndcg_matches_a_hand_computation()
    {
        // Relevant at ranks 2 and 4 of 2 relevant: DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161;
        // ideal = 1 + 1/log2(3) = 1.63093; nDCG = 0.65092.
        bool[] ranked = [false, true, false, true, false];
        Assert.Equal(1.06161, RankingMetrics.DcgAtK(ranked, 10), 4);
        Assert.Equal(0.65092, RankingMetrics.NdcgAtK(ranked, 2, 10), 4);
        // Cut at 3: DCG = 0.63093, ideal (2 relevant) = 1.63093.
        Assert.Equal(0.38685, RankingMetrics.NdcgAtK(ranked, 2, 3), 4);
        Assert.Equal(1.0, RankingMetrics.NdcgAtK([true, true, false], 2, 10));
        Assert.Equal(0.0, RankingMetrics.NdcgAtK(ranked, 0, 10));
    }

    [Fact]
    public void Recall_success_and_reciprocal_rank()
    {
        bool[] ranked = [false, false, true, false, false, false, true];
        Assert.Equal(0.0, RankingMetrics.SuccessAtK(ranked, 1));
        Assert.Equal(1.0, RankingMetrics.SuccessAtK(ranked, 5));
        Assert.Equal(1 / 3.0, RankingMetrics.ReciprocalRankAtK(ranked, 10), 6);
        Assert.Equal(0.0, RankingMetrics.ReciprocalRankAtK(ranked, 2));
        // Benchmark recall: 1 of 4 relevant in the top 5, 2 of 4 in the top 10.
        Assert.Equal(0.25, RankingMetrics.RecallAtK(ranked, 4, 5));
        Assert.Equal(0.5, RankingMetrics.RecallAtK(ranked, 4, 10));
        Assert.Equal(3, RankingMetrics.FirstRelevantRank(ranked, 10));
    }

    [Fact]
    public void Judging_document_ids_counts_each_relevant_id_once()
    {
        var judged = RankingMetrics.Judge(["d1", "d7", "d1", "d3"], new HashSet<string> { "d1", "d3", "d9" });
        Assert.Equal([true, false, false, true], judged);
        Assert.Equal(2 / 3.0, RankingMetrics.RecallAtK(judged, 3, 10), 6);
    }

    [Fact]
    public void Locator_counts_lines_as_the_scoring_script_does()
    {
        var locator = new EvidenceLocator(new Dictionary<string, string>
        {
            ["unix.md"] = "one\ntwo\nthree quote\nfour quote\nfive",
            // Python's universal newlines read "\r\n" and "\r" as "\n".
            ["dos.md"] = "one\r\ntwo\rthree quote\r\nfour quote\r\nfive",
        });
        Assert.Equal(new EvidenceSpan("unix.md", 3, 4), locator.Locate(new EvidenceQuote("unix.md", "quote\nfour")));
        Assert.Equal(new EvidenceSpan("dos.md", 3, 4), locator.Locate(new EvidenceQuote("dos.md", "quote\nfour")));
        Assert.Equal(new EvidenceSpan("unix.md", 3, 3), locator.Locate(new EvidenceQuote("unix.md", "quote")));
        Assert.Null(locator.Locate(new EvidenceQuote("unix.md", "absent")));
        Assert.Null(locator.Locate(new EvidenceQuote("other.md", "one")));
    }

    [SkippableFact]
    public void Every_answerable_dev_question_has_its_evidence_in_the_notes()
    {
        var questions = EvalQuestion.Load(SharedFolder.Require("eval/questions.dev.jsonl"));
        var locator = new EvidenceLocator(SharedFolder.Require("corpus"));
        var answerable = questions.Where(q => q.Answerable).ToList();
        Assert.Equal(103, answerable.Count);
        Assert.Equal(25, questions.Count(q => !q.Answerable));
        Assert.All(answerable, q => Assert.All(locator.LocateAll(q), span => Assert.True(span.FirstLine <= span.LastLine)));
        // Spans as eval/check_questions.py -v prints them.
        Assert.Equal([new EvidenceSpan("ml-script.md", 74, 74)], locator.LocateAll(questions.Single(q => q.Id == "a1-dev-01")));
        Assert.Equal([new EvidenceSpan("ml-script.md", 81, 83)], locator.LocateAll(questions.Single(q => q.Id == "a1-dev-02")));
        Assert.Equal([new EvidenceSpan("ml-script.md", 278, 282)], locator.LocateAll(questions.Single(q => q.Id == "a1-dev-04")));
    }

    [Fact]
    public void Bad_question_lines_are_reported_with_file_and_line()
    {
        var dir = TestPaths.NewTempDir("evalq");
        try
        {
            var path = Path.Combine(dir, "q.jsonl");
            File.WriteAllText(path, "{\"id\":\"q1\",\"question\":\"ok?\",\"answerable\":false,\"evidence\":[]}\n\n{\"id\":\"q2\",\"question\":");
            var e = Assert.Throws<InvalidDataException>(() => EvalQuestion.Load(path));
            Assert.Contains("q.jsonl:3", e.Message);

            File.WriteAllText(path, "{\"id\":\"q1\",\"question\":\"why?\",\"answerable\":true,\"evidence\":[]}");
            Assert.Contains("q.jsonl:1", Assert.Throws<InvalidDataException>(() => EvalQuestion.Load(path)).Message);

            var unlocated = new EvalQuestion("q9", "x?", true, null, [new EvidenceQuote("n.md", "not in the notes")]);
            var missing = Assert.Throws<InvalidDataException>(() => new EvidenceLocator(new Dictionary<string, string> { ["n.md"] = "text" }).LocateAll(unlocated));
            Assert.Contains("q9", missing.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Report_scores_a_retrieval_by_the_hit_rule()
    {
        var notes = new Dictionary<string, string> { ["n.md"] = "l1\nl2 alpha\nl3\nl4 beta\nl5\nl6 gamma\nl7" };
        var locator = new EvidenceLocator(notes);
        var questions = new[]
        {
            new EvalQuestion("qa", "alpha?", true, null, [new EvidenceQuote("n.md", "l2 alpha")]),
            // Two alternative places; the second is found at rank 2.
            new EvalQuestion("qb", "beta?", true, null, [new EvidenceQuote("n.md", "l4 beta"), new EvidenceQuote("n.md", "l6 gamma")]),
            new EvalQuestion("qc", "nothing found?", true, null, [new EvidenceQuote("n.md", "l7")]),
            new EvalQuestion("qu", "capital of Australia?", false, null, []),
        };
        Chunk C(int start, int end) => new($"n{start}", "notes/n.md", "", start, end, "", "", 0);
        var runs = new Dictionary<string, RetrievedContext>
        {
            ["alpha?"] = new("alpha?", [new ScoredChunk(C(1, 2), 1), new ScoredChunk(C(2, 3), 0.5f)], false),
            ["beta?"] = new("beta?", [new ScoredChunk(C(1, 1), 1), new ScoredChunk(C(5, 6), 0.9f)], false),
            ["nothing found?"] = new("nothing found?", [new ScoredChunk(C(1, 3), 1)], true),
            ["capital of Australia?"] = new("capital of Australia?", [], true),
        };
        var report = RetrievalEvaluator.Evaluate("fixed", q => runs[q], questions, locator);
        Assert.Equal(3, report.Answerable);
        Assert.Equal(1, report.Unanswerable);
        Assert.Equal(1 / 3.0, report.RecallAt1, 6);
        Assert.Equal(2 / 3.0, report.RecallAt5, 6);
        Assert.Equal((1 + 0.5) / 3, report.MrrAt10, 6);
        // qa: the second chunk overlaps the same span again and does not count twice: nDCG 1.
        // qb: one of two spans at rank 2: (1/log2 3) / (1 + 1/log2 3) = 0.38685.
        Assert.Equal((1 + 0.38685) / 3, report.NdcgAt10, 4);
        Assert.Equal(2 / 3.0, report.AnswerableAnswered, 6);
        Assert.Equal(1.0, report.UnanswerableAbstained);
        Assert.Equal(["qc"], report.Misses);
        Assert.Equal(2, report.Questions.Single(q => q.Id == "qb").FirstHitRank);
    }
}
