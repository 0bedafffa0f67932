using MlTutor.Retrieval.Evaluation;

namespace MlTutor.Tests.Retrieval;

/// <summary>The BEIR loader and the TREC run format, on small files with known contents.</summary>
public sealed class BeirTests
{
    [Fact]
    public void Loads_corpus_queries_and_judgements_keeping_only_judged_queries()
    {
        var dir = TestPaths.NewTempDir("mltutor-beir");
        File.WriteAllLines(Path.Combine(dir, "corpus.jsonl"),
        [
            """{"_id": "d1", "title": "Dropout", "text": "Dropout zeroes activations.", "metadata": {}}""",
            """{"_id": "d2", "title": "", "text": "Momentum keeps a velocity."}""",
        ]);
        File.WriteAllLines(Path.Combine(dir, "queries_test.jsonl"),
        [
            """{"_id": "q1", "text": "what does dropout do"}""",
            """{"_id": "q2", "text": "an unjudged query"}""",
        ]);
        Directory.CreateDirectory(Path.Combine(dir, "qrels"));
        File.WriteAllText(Path.Combine(dir, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\n");

        var data = BeirDataset.Load(dir);

        Assert.Equal(2, data.Documents.Count);
        Assert.Equal(["q1"], data.Queries.Select(q => q.Id));
        Assert.Equal(["d1"], data.Judgements["q1"].Keys); // score 0 is not relevant
        var chunks = data.ToChunks(text => text.Split(' ').Length + 2);
        Assert.Equal("Dropout Dropout zeroes activations.", chunks[0].Text); // title + " " + text, as BEIR embeds it
        Assert.Equal("Momentum keeps a velocity.", chunks[1].Text);
        Assert.Equal("d1", chunks[0].Id);
        Assert.Equal(64, data.CorpusHash.Length);
    }

    [Fact]
    public void A_malformed_line_names_the_file_and_line()
    {
        var dir = TestPaths.NewTempDir("mltutor-beir");
        File.WriteAllText(Path.Combine(dir, "corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"ok\"}\nnot json\n");
        File.WriteAllText(Path.Combine(dir, "queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"x\"}\n");
        Directory.CreateDirectory(Path.Combine(dir, "qrels"));
        File.WriteAllText(Path.Combine(dir, "qrels", "test.tsv"), "q1\td1\t1\n");
        var e = Assert.Throws<FormatException>(() => BeirDataset.Load(dir));
        Assert.Contains("corpus.jsonl:2", e.Message);
    }

    [Fact]
    public void Trec_run_lines_have_six_fields_and_ranks_from_one()
    {
        var writer = new StringWriter();
        TrecRun.Write(writer, "q7", [("d3", 0.91f), ("d1", 0.5f), ("d9", 0.25f)], "dense", depth: 2);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["q7 Q0 d3 1 0.91 dense", "q7 Q0 d1 2 0.5 dense"], lines);
    }
}
