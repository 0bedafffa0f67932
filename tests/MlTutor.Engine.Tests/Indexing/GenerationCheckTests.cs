using MlTutor.Indexing;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Indexing;

/// <summary>
/// The check that runs before every question costs next to nothing: it reads the FAISS files' headers, not their
/// vectors (the question loads those once, when it opens the index).
/// </summary>
public sealed class GenerationCheckTests : IDisposable
{
    private const int Dim = 384;
    private readonly string _generation = TestPaths.NewTempDir("mltutor-generation");

    public void Dispose() => Directory.Delete(_generation, recursive: true);

    private void SaveFaiss(string name, int count)
    {
        var random = new Random(count);
        var vectors = new float[count * Dim];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (float)random.NextDouble();
        using var index = FaissIndex.CreateInnerProduct(Dim);
        index.Add(Enumerable.Range(0, count).Select(i => (long)i).ToArray(), vectors);
        index.Save(Path.Combine(_generation, name));
    }

    [Fact]
    public void The_check_reads_the_faiss_headers_not_the_vectors()
    {
        // 2,000 chunks with 10,000 line windows: about 18 MB of vectors.
        const int chunks = 2_000, windows = 10_000;
        SaveFaiss(NotesIndex.VectorsFile, chunks);
        SaveFaiss(NotesIndex.WindowsFile, windows);
        KeywordIndex.Build(Path.Combine(_generation, NotesIndex.KeywordFolder),
            Enumerable.Range(0, chunks).Select(i => new Chunk($"c{i}", "a.md", "A", i + 1, i + 1, $"note {i}", $"note {i}", 4)));
        var faissBytes = new FileInfo(Path.Combine(_generation, NotesIndex.VectorsFile)).Length
            + new FileInfo(Path.Combine(_generation, NotesIndex.WindowsFile)).Length;

        Assert.Null(GenerationCheck.FindDamage(_generation, chunks, windows, Dim, null)); // warm: the first call also loads code
        var before = ThreadIo.BytesRead;
        Assert.Null(GenerationCheck.FindDamage(_generation, chunks, windows, Dim, null));
        var read = ThreadIo.BytesRead - before;

        // What is left is the keyword index's check (small here) and the accounting file itself.
        Assert.True(read < faissBytes / 20, $"the check read {read} bytes; the FAISS files hold {faissBytes}");
    }

    [Fact]
    public void With_checksums_a_keyword_file_changed_inside_is_found_without_lucene_and_without_them_by_lucene()
    {
        SaveFaiss(NotesIndex.VectorsFile, 3);
        SaveFaiss(NotesIndex.WindowsFile, 5);
        KeywordIndex.Build(Path.Combine(_generation, NotesIndex.KeywordFolder),
            Enumerable.Range(0, 3).Select(i => new Chunk($"c{i}", "a.md", "A", i + 1, i + 1, $"note {i}", $"note {i}", 4)));
        var checksums = GenerationCheck.Checksums(_generation);
        Assert.Null(GenerationCheck.FindDamage(_generation, 3, 5, Dim, checksums));
        // The checksums stand for Lucene's check of the chunk count too: the files are those published with the chunks.
        Assert.Null(GenerationCheck.FindDamage(_generation, 3, 5, Dim, checksums));

        // One byte changed in the middle of the largest keyword file: its size, and so its layout, stay as they were.
        var largest = new DirectoryInfo(Path.Combine(_generation, NotesIndex.KeywordFolder)).EnumerateFiles().MaxBy(f => f.Length)!;
        var bytes = File.ReadAllBytes(largest.FullName);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(largest.FullName, bytes);

        var byChecksum = GenerationCheck.FindDamage(_generation, 3, 5, Dim, checksums);
        Assert.NotNull(byChecksum);
        Assert.Contains(largest.Name, byChecksum);
        Assert.Contains("does not match its checksum", byChecksum);
        // A stray file the manifest does not know of leaves the keyword index to Lucene's check, which finds it too.
        File.WriteAllText(Path.Combine(_generation, NotesIndex.KeywordFolder, "stray.txt"), "x");
        var byLucene = GenerationCheck.FindDamage(_generation, 3, 5, Dim, checksums);
        Assert.NotNull(byLucene);
        Assert.Contains("cannot be read", byLucene);
    }

    [Theory]
    [InlineData(NotesIndex.VectorsFile)]
    [InlineData(NotesIndex.WindowsFile)]
    public void A_faiss_file_one_byte_short_is_found_by_the_check(string file)
    {
        SaveFaiss(NotesIndex.VectorsFile, 3);
        SaveFaiss(NotesIndex.WindowsFile, 5);
        KeywordIndex.Build(Path.Combine(_generation, NotesIndex.KeywordFolder),
            Enumerable.Range(0, 3).Select(i => new Chunk($"c{i}", "a.md", "A", i + 1, i + 1, $"note {i}", $"note {i}", 4)));
        Assert.Null(GenerationCheck.FindDamage(_generation, 3, 5, Dim, null));

        var path = Path.Combine(_generation, file);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]);
        var damage = GenerationCheck.FindDamage(_generation, 3, 5, Dim, null);
        Assert.NotNull(damage);
        Assert.Contains(path, damage);
        Assert.Contains("truncated", damage);
    }
}
