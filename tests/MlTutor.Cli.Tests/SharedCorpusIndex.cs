using System.Text.Json;

namespace MlTutor.Cli.Tests;

/// <summary>The user's real notes (../shared/corpus) indexed once for all tests that query them.</summary>
public sealed class SharedCorpusIndex
{
    public SharedCorpusIndex()
    {
        IndexDir = CliRunner.NewTempDir("mltutor-shared-index");
        var result = CliRunner.Run("index", "--json", "--corpus", Corpus, "--index", IndexDir);
        if (result.ExitCode != 0) throw new InvalidOperationException("indexing ../shared/corpus failed: " + result);
        Report = result.Json();
    }

    public string Corpus => Path.Combine(CliRunner.Shared, "corpus");
    public string IndexDir { get; }
    public JsonElement Report { get; }

    public string[] Args(params string[] args) => [.. args, "--corpus", Corpus, "--index", IndexDir];
}

[CollectionDefinition("shared corpus")]
public sealed class SharedCorpusCollection : ICollectionFixture<SharedCorpusIndex>;

/// <summary>A dev-set question with its evidence located in the notes, as ../shared/eval/check_questions.py locates it.</summary>
public sealed record DevQuestion(string Id, string Question, bool Answerable, IReadOnlyList<(string File, int First, int Last)> Evidence)
{
    public static IReadOnlyList<DevQuestion> Load()
    {
        var corpus = Path.Combine(CliRunner.Shared, "corpus");
        var result = new List<DevQuestion>();
        foreach (var line in File.ReadLines(Path.Combine(CliRunner.Shared, "eval", "questions.dev.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var q = JsonDocument.Parse(line).RootElement;
            var spans = new List<(string, int, int)>();
            foreach (var e in q.GetProperty("evidence").EnumerateArray())
            {
                var file = e.GetProperty("file").GetString()!;
                var quote = e.GetProperty("quote").GetString()!;
                var text = File.ReadAllText(Path.Combine(corpus, file));
                var at = text.IndexOf(quote, StringComparison.Ordinal);
                if (at < 0) continue;
                var first = text.AsSpan(0, at).Count('\n') + 1;
                spans.Add((file, first, first + quote.Count(c => c == '\n')));
            }
            result.Add(new DevQuestion(q.GetProperty("id").GetString()!, q.GetProperty("question").GetString()!, q.GetProperty("answerable").GetBoolean(), spans));
        }
        return result;
    }

    public bool IsHit(string file, int start, int end) =>
        Evidence.Any(e => Path.GetFileName(file) == e.File && start <= e.Last && e.First <= end);
}
