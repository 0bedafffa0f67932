using System.Security.Cryptography;
using System.Text.Json;
using MlTutor.Ingestion;

namespace MlTutor.Retrieval.Evaluation;

/// <summary>
/// A BEIR-format retrieval benchmark: corpus.jsonl (<c>_id</c>, <c>title</c>, <c>text</c>), queries*.jsonl (<c>_id</c>, <c>text</c>)
/// and qrels/&lt;split&gt;.tsv (query-id, corpus-id, score with a header line).
/// </summary>
public sealed record BeirDataset(
    string Name,
    string CorpusHash,
    IReadOnlyList<BeirDocument> Documents,
    IReadOnlyList<BeirQuery> Queries,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Judgements)
{
    /// <summary>Loads a dataset folder; only queries that have judgements are kept, as BEIR evaluates them.</summary>
    public static BeirDataset Load(string directory, string split = "test")
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"no BEIR dataset folder at {directory}");
        var corpusPath = Path.Combine(directory, "corpus.jsonl");
        var queriesPath = new[] { $"queries_{split}.jsonl", "queries.jsonl" }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{directory} has no queries_{split}.jsonl or queries.jsonl");
        var qrelsPath = Path.Combine(directory, "qrels", $"{split}.tsv");
        foreach (var required in new[] { corpusPath, qrelsPath })
            if (!File.Exists(required)) throw new FileNotFoundException($"{required} is missing: not a BEIR dataset folder");

        var judgements = new Dictionary<string, Dictionary<string, int>>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(qrelsPath))
        {
            lineNo++;
            var parts = line.Split('\t');
            if (lineNo == 1 && !int.TryParse(parts.ElementAtOrDefault(2), out _)) continue; // header
            if (parts.Length < 3 || !int.TryParse(parts[2], out var score))
                throw new FormatException($"{qrelsPath}:{lineNo}: expected query-id, corpus-id, score separated by tabs");
            if (score <= 0) continue;
            if (!judgements.TryGetValue(parts[0], out var docs)) judgements[parts[0]] = docs = [];
            docs[parts[1]] = score;
        }

        var documents = ReadJsonLines(corpusPath, (e, no) => new BeirDocument(
            Id(e, corpusPath, no), e.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "", e.TryGetProperty("text", out var x) ? x.GetString() ?? "" : ""));
        var queries = ReadJsonLines(queriesPath, (e, no) => new BeirQuery(Id(e, queriesPath, no), e.GetProperty("text").GetString() ?? ""))
            .Where(q => judgements.ContainsKey(q.Id)).ToList();
        using var stream = File.OpenRead(corpusPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new BeirDataset(Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')), hash, documents, queries,
            judgements.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value));
    }

    /// <summary>
    /// The documents as passages for the index. A document is one passage whose text is <c>title + " " + text</c>
    /// (as BEIR and MTEB embed it); it has no heading path, and the encoder truncates it at 256 pieces.
    /// </summary>
    public IReadOnlyList<Chunk> ToChunks(Func<string, int> countPieces) =>
        Documents.Select(d =>
        {
            var text = d.Title.Length == 0 ? d.Text : d.Title + " " + d.Text;
            return new Chunk(d.Id, d.Id, "", 1, 1, text, text, countPieces(text));
        }).ToList();

    private static string Id(JsonElement e, string path, int no) =>
        e.TryGetProperty("_id", out var id) ? id.ToString() : throw new FormatException($"{path}:{no}: no _id");

    private static List<T> ReadJsonLines<T>(string path, Func<JsonElement, int, T> read)
    {
        var result = new List<T>();
        var no = 0;
        foreach (var line in File.ReadLines(path))
        {
            no++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                result.Add(read(doc.RootElement, no));
            }
            catch (JsonException e)
            {
                throw new FormatException($"{path}:{no}: not a JSON object ({e.Message})", e);
            }
        }
        return result;
    }
}

public sealed record BeirDocument(string Id, string Title, string Text);

public sealed record BeirQuery(string Id, string Text);
