using System.Buffers.Binary;
using MlTutor.Indexing;
using Xunit;

namespace MlTutor.Tests.Indexing;

/// <summary>
/// The damage check that reads only a FAISS file's header and length, on files the real shim wrote: every file it calls
/// damaged, loading refuses too, and every file it accepts, loading reads with the count and dimension it expects.
/// </summary>
public sealed class FaissFileLayoutTests : IDisposable
{
    private const int Dim = 384;
    private const int Count = 7;
    private const int NtotalOffsets = 8; // the ID map's count; the storage's is 37 bytes later
    private readonly string _dir = TestPaths.NewTempDir("mltutor-faiss-layout");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A file as the index builder writes it: <paramref name="count"/> vectors with ids 0, 1, ….</summary>
    private string Saved(int count, int dim = Dim, string name = "vectors.faiss")
    {
        var random = new Random(count);
        var vectors = new float[count * dim];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (float)random.NextDouble();
        using var index = FaissIndex.CreateInnerProduct(dim);
        index.Add(Enumerable.Range(0, count).Select(i => (long)i).ToArray(), vectors);
        var path = Path.Combine(_dir, name);
        index.Save(path);
        return path;
    }

    /// <summary>Asserts that the check finds damage naming the file, and that loading the file fails too.</summary>
    private static string AssertDamaged(string path, long expectedCount = Count, int dim = Dim)
    {
        var damage = FaissFileLayout.FindDamage(path, expectedCount, dim);
        Assert.NotNull(damage);
        Assert.Contains(path, damage);
        if (File.Exists(path))
            Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path).Dispose());
        return damage;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Count)]
    [InlineData(1000)]
    public void A_file_as_saved_is_exactly_as_long_as_its_layout_says_and_undamaged(int count)
    {
        var path = Saved(count);
        Assert.Equal(FaissFileLayout.FileLength(count, Dim), new FileInfo(path).Length);
        Assert.Null(FaissFileLayout.FindDamage(path, count, Dim));
        using var loaded = FaissIndex.Load(path);
        Assert.Equal(count, loaded.Count);
    }

    [Theory]
    [InlineData(1)]       // the last id
    [InlineData(8 * Count + 8 + 100)] // into the vectors
    [InlineData(-40)]     // all but 40 bytes: inside the headers
    public void A_truncated_file_is_damaged(int cut)
    {
        var path = Saved(Count);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, cut > 0 ? bytes[..^cut] : bytes[..-cut]);
        AssertDamaged(path);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(4 * Dim + 8)] // exactly one more vector and id, with the header unchanged
    public void A_file_with_extra_bytes_is_damaged(int extra)
    {
        var path = Saved(Count);
        using (var stream = new FileStream(path, FileMode.Append)) stream.Write(new byte[extra]);
        Assert.Contains("extra", AssertDamaged(path));
    }

    [Theory]
    [InlineData(Count - 1)]
    [InlineData(Count + 1)]
    [InlineData(long.MaxValue)]
    [InlineData(-1)]
    public void A_wrong_count_in_the_header_is_damaged(long claimed)
    {
        var path = Saved(Count);
        var bytes = File.ReadAllBytes(path);
        // Both headers, as a consistent rewrite would: the file's length and float count no longer fit.
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(NtotalOffsets), claimed);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(NtotalOffsets + 37), claimed);
        File.WriteAllBytes(path, bytes);
        AssertDamaged(path);
        AssertDamaged(path, expectedCount: claimed);
    }

    [Theory]
    [InlineData(Count)]
    [InlineData(0)]
    public void Write_gives_the_bytes_faiss_writes_and_the_rows_read_back_in_id_order(int count)
    {
        var saved = Saved(count);
        var random = new Random(count);
        var rows = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Dim).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
        var written = Path.Combine(_dir, "written.faiss");

        FaissFileLayout.Write(written, rows, Dim);

        Assert.Equal(File.ReadAllBytes(saved), File.ReadAllBytes(written));
        var read = FaissFileLayout.ReadInIdOrder(written, count, Dim);
        Assert.NotNull(read);
        Assert.Equal(rows, read);
        using var loaded = FaissIndex.Load(written);
        Assert.Equal(count, loaded.Count);
        Assert.Null(FaissFileLayout.ReadInIdOrder(written, count + 1, Dim));
    }

    [Fact]
    public void Rows_stored_in_another_id_order_are_not_read_as_rows()
    {
        var vectors = new float[3 * Dim];
        using var index = FaissIndex.CreateInnerProduct(Dim);
        index.Add([2, 0, 1], vectors);
        var path = Path.Combine(_dir, "shuffled.faiss");
        index.Save(path);

        Assert.Null(FaissFileLayout.ReadInIdOrder(path, 3, Dim));
    }

    [Fact]
    public void Headers_that_disagree_on_the_count_are_damaged()
    {
        var path = Saved(Count);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(NtotalOffsets), Count + 1);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("corrupt header", AssertDamaged(path));
    }

    [Fact]
    public void A_whole_file_of_another_count_or_dimension_is_damaged_for_this_generation()
    {
        // Each is a sound file: loading reads it, but it does not hold the vectors chunks.db says it should.
        var fewer = Saved(Count - 1, name: "fewer.faiss");
        Assert.Contains($"holds {Count - 1} vectors", FaissFileLayout.FindDamage(fewer, Count, Dim));
        var narrower = Saved(Count, dim: 8, name: "narrower.faiss");
        Assert.Contains("of 8 dimensions", FaissFileLayout.FindDamage(narrower, Count, Dim));
    }

    [Fact]
    public void A_garbage_empty_or_missing_file_is_damaged()
    {
        var expectedLength = (int)FaissFileLayout.FileLength(Count, Dim);
        var garbage = Path.Combine(_dir, "garbage.faiss");
        var random = new byte[expectedLength];
        new Random(3).NextBytes(random);
        File.WriteAllBytes(garbage, random);
        AssertDamaged(garbage);

        var text = Path.Combine(_dir, "text.faiss");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("not a FAISS index\n", 200)));
        AssertDamaged(text);

        var empty = Path.Combine(_dir, "empty.faiss");
        File.WriteAllBytes(empty, []);
        AssertDamaged(empty);

        var missing = Path.Combine(_dir, "missing.faiss");
        Assert.Contains("missing", AssertDamaged(missing));
    }

    [Fact]
    public void A_file_overwritten_after_its_vectors_is_damaged()
    {
        // Same length and headers, but the id count that follows the vectors is not the header's.
        var path = Saved(Count);
        var bytes = File.ReadAllBytes(path);
        var idCountOffset = bytes.Length - 8 * Count - 8;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(idCountOffset), Count + 1);
        File.WriteAllBytes(path, bytes);
        AssertDamaged(path);
    }
}
