using System.Text.Json;
using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary>
/// The user's real notes (../shared/corpus) indexed once for all tests that query them, by the first that does: a test
/// that uses them is skipped (or fails, see <see cref="SharedFolder"/>) when they are missing.
/// </summary>
public sealed class SharedCorpusIndex
{
    private readonly Lazy<(string IndexDir, JsonElement Report)> _built = new(() =>
    {
        var indexDir = CliRunner.NewTempDir("mltutor-shared-index");
        var result = CliRunner.Run("index", "--json", "--corpus", SharedFolder.Require("corpus"), "--index", indexDir);
        if (result.ExitCode != 0) throw new InvalidOperationException("indexing ../shared/corpus failed: " + result);
        return (indexDir, result.Json());
    });

    /// <summary>../shared/corpus, checked every time: a skip must not be cached.</summary>
    public string Corpus => SharedFolder.Require("corpus");

    public string IndexDir => Built.IndexDir;
    public JsonElement Report => Built.Report;

    private (string IndexDir, JsonElement Report) Built
    {
        get
        {
            _ = Corpus;
            return _built.Value;
        }
    }

    public string[] Args(params string[] args) => [.. args, "--corpus", Corpus, "--index", IndexDir];
}

[CollectionDefinition("shared corpus")]
public sealed class SharedCorpusCollection : ICollectionFixture<SharedCorpusIndex>;

/// <summary>A dev-set question with its evidence located in the notes, as ../shared/eval/check_questions.py locates it.</summary>
public sealed record DevQuestion(string Id, string Question, bool Answerable, IReadOnlyList<(string File, int First, int Last)> Evidence)
{
    public static IReadOnlyList<DevQuestion> Load()
    {
        var corpus = SharedFolder.Require("corpus");
        var result = new List<DevQuestion>();
        foreach (var line in File.ReadLines(SharedFolder.Require("eval/questions.dev.jsonl")))
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
