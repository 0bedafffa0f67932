using System.Text.Json;
using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Retrieval;
using Xunit;
using Xunit.Abstractions;
using static MlTutor.Tests.Answering.AnswerChecks;

namespace MlTutor.Tests.Answering;

/// <summary>
/// The extractive answerer on the user's real notes: for each answerable dev question, the passage around its
/// gold evidence (±8 lines) comes first and the evidence passages of two other questions follow as distractors.
/// Measures how often the answer cites the gold lines, and checks on every answer that each quote is really in
/// the notes and each citation spans exactly the quoted lines.
/// </summary>
public class ExtractiveAnswererOnNotesTests(ITestOutputHelper output)
{
    private const int Margin = 8;

    [SkippableFact]
    public async Task Answers_on_the_dev_questions_quote_the_gold_evidence_honestly()
    {
        var devQuestions = SharedFolder.Require("eval/questions.dev.jsonl");
        var notes = Directory.GetFiles(SharedFolder.Require("corpus")).ToDictionary(f => Path.GetFileName(f)!, f => File.ReadAllText(f).Replace("\r\n", "\n"));
        var cases = new List<(string Question, Chunk Gold, int First, int Last)>();
        foreach (var line in File.ReadLines(devQuestions).Where(l => l.Trim().Length > 0))
        {
            var q = JsonDocument.Parse(line).RootElement;
            if (!q.GetProperty("answerable").GetBoolean()) continue;
            var ev = q.GetProperty("evidence")[0];
            var file = ev.GetProperty("file").GetString()!;
            var quote = ev.GetProperty("quote").GetString()!;
            var text = notes[file];
            var at = text.IndexOf(quote, StringComparison.Ordinal);
            if (at < 0) continue;
            var first = text[..at].Count(c => c == '\n') + 1;
            var last = first + quote.Count(c => c == '\n');
            var lines = text.Split('\n');
            var start = Math.Max(1, first - Margin);
            var end = Math.Min(lines.Length, last + Margin);
            cases.Add((q.GetProperty("question").GetString()!, MakeChunk(file, start, "", lines[(start - 1)..end]), first, last));
        }
        Assert.True(cases.Count >= 50, $"only {cases.Count} dev questions located");

        var answerer = new ExtractiveAnswerer();
        int hits = 0, quotes = 0, quotesOnGold = 0;
        double citedLines = 0, passageLines = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var (question, gold, first, last) = cases[i];
            var others = new[] { cases[(i + 1) % cases.Count].Gold, cases[(i + 2) % cases.Count].Gold };
            var answer = await answerer.AnswerAsync(Context(question, [gold, .. others]), AnswerStyle.Tutor);

            Assert.False(answer.NotCovered);
            foreach (var (sentence, n) in Quotes(answer.Text))
            {
                var citation = answer.Citations.Single(c => c.N == n);
                var chunk = new[] { gold }.Concat(others).First(c => c.Id == citation.ChunkId);
                Assert.Contains(Squash(sentence), Squash(chunk.Text));
                var (a, b) = LinesOf(chunk, sentence, citation.StartLine, citation.EndLine);
                Assert.InRange(a, citation.StartLine, citation.EndLine);
                Assert.InRange(b, citation.StartLine, citation.EndLine);
            }
            // A hit is a quoted piece that sits on the gold evidence lines (not merely a citation range around them).
            var onGold = Quotes(answer.Text).Count(q => answer.Citations.Single(c => c.N == q.N).ChunkId == gold.Id
                                                        && LinesOf(gold, q.Sentence) is var (qa, qb) && qa <= last && first <= qb);
            if (onGold > 0) hits++;
            else if (Environment.GetEnvironmentVariable("MLTUTOR_SHOW_MISSES") == "1")
                output.WriteLine($"MISS {question}\n  gold {gold.File}:{first}-{last}\n  said {answer.Text.Replace("\n", "\n       ")}");
            quotes += Quotes(answer.Text).Count;
            quotesOnGold += onGold;
            citedLines += answer.Citations.Sum(c => c.EndLine - c.StartLine + 1);
            passageLines += answer.Citations.Sum(c => (new[] { gold }.Concat(others).First(x => x.Id == c.ChunkId)).EndLine
                                                      - (new[] { gold }.Concat(others).First(x => x.Id == c.ChunkId)).StartLine + 1);
        }

        var hitRate = hits / (double)cases.Count;
        output.WriteLine($"questions {cases.Count}: answers quoting the gold lines {hitRate:P1}, quotes on gold lines {quotesOnGold / (double)quotes:P1} "
                         + $"({quotes / (double)cases.Count:0.0} quotes per answer), "
                         + $"cited lines / passage lines of cited passages {citedLines / passageLines:P1}");
        Assert.True(hitRate >= 0.6, $"gold evidence quoted in only {hitRate:P1} of {cases.Count} answers");
    }
}
