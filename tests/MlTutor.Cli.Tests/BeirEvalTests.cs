using System.Text.Json;
using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary><c>eval --beir</c> end to end on a slice of SciFact that the test cuts: the judged documents of 40 claims plus others.</summary>
public sealed class BeirEvalTests
{
    [SkippableFact]
    public void Every_retriever_ranks_a_judged_abstract_first_for_most_claims_and_the_index_is_reused()
    {
        var source = SharedFolder.Require("benchmarks/scifact");
        var dir = CliRunner.NewTempDir("mltutor-scifact-slice");
        var qrels = File.ReadAllLines(Path.Combine(source, "qrels", "test.tsv")).Skip(1).Select(l => l.Split('\t')).ToList();
        var queries = qrels.Select(q => q[0]).Distinct().Take(40).ToHashSet();
        var judged = qrels.Where(q => queries.Contains(q[0])).Select(q => q[1]).ToHashSet();
        var corpus = File.ReadLines(Path.Combine(source, "corpus.jsonl"))
            .Where((line, i) => judged.Contains(JsonDocument.Parse(line).RootElement.GetProperty("_id").GetString()!) || i % 40 == 0)
            .ToList();
        File.WriteAllLines(Path.Combine(dir, "corpus.jsonl"), corpus);
        File.WriteAllLines(Path.Combine(dir, "queries_test.jsonl"), File.ReadLines(Path.Combine(source, "queries_test.jsonl"))
            .Where(l => queries.Contains(JsonDocument.Parse(l).RootElement.GetProperty("_id").GetString()!)));
        Directory.CreateDirectory(Path.Combine(dir, "qrels"));
        File.WriteAllLines(Path.Combine(dir, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", .. qrels.Where(q => queries.Contains(q[0])).Select(q => string.Join('\t', q))]);
        var index = CliRunner.NewTempDir();
        var run = Path.Combine(dir, "run.trec");

        var result = CliRunner.Run("eval", "--beir", dir, "--index", index, "--json", "--trec-run", run);

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonDocument.Parse(result.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(corpus.Count, json.GetProperty("docs").GetInt32());
        Assert.Equal(40, json.GetProperty("queries").GetInt32());
        Assert.True(json.GetProperty("piecesPerSecond").GetDouble() > 0);
        var lines = File.ReadAllLines(run).Select(l => l.Split(' ')).ToList();
        Assert.All(lines, l => Assert.Equal(6, l.Length));
        foreach (var tag in new[] { "dense", "keyword", "hybrid" })
        {
            var scores = json.GetProperty("retrievers").GetProperty(tag);
            Assert.InRange(scores.GetProperty("ndcg@10").GetDouble(), 0.5, 1.0);
            Assert.True(scores.GetProperty("recall@100").GetDouble() >= scores.GetProperty("recall@10").GetDouble());
            var firsts = lines.Where(l => l[5] == tag && l[3] == "1").ToList();
            Assert.Equal(40, firsts.Count);
            var judgedFirst = firsts.Count(l => qrels.Any(q => q[0] == l[0] && q[1] == l[2]));
            Assert.True(judgedFirst > 20, $"{tag}: a judged abstract first for {judgedFirst}/40 claims");
            Assert.All(lines.Where(l => l[5] == tag).GroupBy(l => l[0]), g => Assert.Equal(Enumerable.Range(1, g.Count()).Select(i => i.ToString()), g.Select(l => l[3])));
        }

        var again = CliRunner.Run("eval", "--beir", dir, "--index", index, "--json", "--retriever", "keyword");
        Assert.True(again.ExitCode == 0, again.ToString());
        var second = JsonDocument.Parse(again.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.True(second.GetProperty("indexReused").GetBoolean());
        Assert.Equal(json.GetProperty("retrievers").GetProperty("keyword").GetProperty("ndcg@10").GetDouble(),
            second.GetProperty("retrievers").GetProperty("keyword").GetProperty("ndcg@10").GetDouble());
    }
}
