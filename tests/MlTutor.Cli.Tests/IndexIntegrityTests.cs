namespace MlTutor.Cli.Tests;

/// <summary>
/// Damage inside an index file, even one that keeps the file's size, is found (every file's checksum is in the manifest)
/// and repaired from what is still good: the stored vectors, so nothing is embedded again but what chunks.db itself, which
/// holds them, lost.
/// </summary>
public sealed class IndexIntegrityTests
{
    private static (string Corpus, string Index, string Generation) IndexedSampleNotes()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        return (corpus, index, Path.Combine(index, File.ReadAllText(Path.Combine(index, "CURRENT")).Trim()));
    }

    /// <summary>Overwrites a stretch in the middle of a file with other bytes, keeping its size (and so its layout).</summary>
    private static void DamageMiddle(string path, int length = 1024)
    {
        var size = new FileInfo(path).Length;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        var at = Math.Max(0, size / 2 - length / 2);
        stream.Position = at;
        var noise = new byte[(int)Math.Min(length, size - at)];
        new Random(7).NextBytes(noise);
        stream.Write(noise);
        Assert.Equal(size, new FileInfo(path).Length);
    }

    private static List<string> Ranking(CliResult search) => Ranking(search.Json());

    private static List<string> Ranking(System.Text.Json.JsonElement search) =>
        search.GetProperty("results").EnumerateArray()
            .Select(r => $"{r.GetProperty("file").GetString()}:{r.GetProperty("startLine").GetInt32()}-{r.GetProperty("endLine").GetInt32()}").ToList();

    private static readonly string[] Questions = ["What does Adam add to RMSprop?", "Why scale dot products by sqrt(d_k)?", "What does early stopping watch?"];

    /// <summary>The ranking of each of <see cref="Questions"/>, from one process (one `search --batch`).</summary>
    private static List<List<string>> Rankings(string corpus, string index)
    {
        var batch = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllLines(batch, Questions.Select((q, i) => System.Text.Json.JsonSerializer.Serialize(new { id = $"q{i}", question = q })));
        var search = CliRunner.Run("search", "--json", "--batch", batch, "--corpus", corpus, "--index", index);
        Assert.True(search.ExitCode == 0, search.ToString());
        return search.JsonLines().Select(Ranking).ToList();
    }

    /// <summary>The rankings of the undamaged sample index, which each test's copy starts as: what a repaired index must
    /// give again. Reading them writes nothing, so they are read once, from the shared index.</summary>
    private static readonly Lazy<List<List<string>>> UndamagedRankings =
        new(() => Rankings(Path.Combine(CliRunner.RepoRoot, "corpus"), CliRunner.SampleIndex));

    [Theory]
    [InlineData("vectors.faiss")]
    [InlineData("windows.faiss")]
    public void A_question_finds_damage_inside_a_vector_file_and_answers_from_the_repaired_index(string file)
    {
        var (corpus, index, generation) = IndexedSampleNotes();
        var before = UndamagedRankings.Value;
        DamageMiddle(Path.Combine(generation, file));

        var first = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, Questions[0]);

        Assert.True(first.ExitCode == 0, first.ToString());
        var warning = Assert.Single(first.Stderr.Trim().Split('\n'));
        Assert.Contains($"{file} does not match its checksum", warning);
        Assert.Contains("repaired from its stored vectors (0 embedded)", warning);
        Assert.Equal(before[0], Ranking(first));
        Assert.Equal(before, Rankings(corpus, index));
    }

    [Theory]
    [InlineData("vectors.faiss")]
    [InlineData("windows.faiss")]
    [InlineData("keyword")]
    public void Index_finds_damage_inside_any_derived_file_and_repairs_it_without_embedding(string file)
    {
        var (corpus, index, generation) = IndexedSampleNotes();
        var before = UndamagedRankings.Value;
        var path = Path.Combine(generation, file);
        DamageMiddle(Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles().MaxBy(f => f.Length)!.FullName : path);

        var repair = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("the index was damaged", repair.Stderr);
        Assert.Equal(0, repair.Json().GetProperty("embedded").GetInt32());
        Assert.False(repair.Json().GetProperty("updated").GetBoolean()); // a damaged generation is written whole, never copied on
        Assert.Equal(before, Rankings(corpus, index));
        var again = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(again.Json().GetProperty("upToDate").GetBoolean(), again.ToString());
    }

    [Fact]
    public void Index_finds_damage_inside_chunks_db_and_embeds_only_the_rows_it_lost()
    {
        var (corpus, index, generation) = IndexedSampleNotes();
        var before = UndamagedRankings.Value;
        var chunks = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index).Json().GetProperty("chunks").GetInt32();
        DamageMiddle(Path.Combine(generation, "chunks.db"), length: 64);

        var repair = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("chunks.db does not match its checksum", repair.Stderr);
        Assert.Contains("could still be read and keep their vectors; the rest are embedded again", repair.Stderr);
        // The rows still readable, their vectors checked against the FAISS files, are reused; the rest are embedded.
        var report = repair.Json();
        Assert.True(report.GetProperty("reused").GetInt32() > 0, repair.ToString());
        Assert.True(report.GetProperty("embedded").GetInt32() < chunks / 2, repair.ToString());
        Assert.Equal(chunks, report.GetProperty("chunks").GetInt32());
        Assert.Equal(before, Rankings(corpus, index));
        var again = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(again.Json().GetProperty("upToDate").GetBoolean(), again.ToString());
    }

    [Theory]
    [InlineData("index")]
    [InlineData("search")]
    public void A_manifest_damaged_by_one_byte_is_repaired_without_embedding_anything(string command)
    {
        var (corpus, index, generation) = IndexedSampleNotes();
        var before = UndamagedRankings.Value;
        // The middle of the manifest lies among its checksums: a changed digit there still reads as a manifest.
        var manifest = Path.Combine(generation, "manifest.json");
        var bytes = File.ReadAllBytes(manifest);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(manifest, bytes);

        var repair = command == "index"
            ? CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index)
            : CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, Questions[0]);

        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("manifest.json does not match its own checksum", repair.Stderr);
        Assert.Contains("rebuilt from its stored vectors", repair.Stderr);
        Assert.DoesNotContain("embedding:", repair.Stderr); // not one text went to the encoder
        if (command == "index") Assert.Equal(0, repair.Json().GetProperty("embedded").GetInt32());
        else Assert.Equal(before[0], Ranking(repair));
        Assert.Equal(before, Rankings(corpus, index));
        var again = CliRunner.Run("index", "--json", "--corpus", corpus, "--index", index);
        Assert.True(again.Json().GetProperty("upToDate").GetBoolean(), again.ToString());
    }
}
