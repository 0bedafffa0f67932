using MlTutor.Indexing;
using Xunit;

namespace MlTutor.Tests.Indexing;

public sealed class FaissIndexTests : IDisposable
{
    private const int Dim = 384;
    private readonly string _dir = TestPaths.NewTempDir("mltutor-faiss");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Unit-length random vectors, row-major, with ids 1000, 1001, ...</summary>
    private static (long[] Ids, float[] Vectors) RandomUnitVectors(int count, int seed, int dim = Dim)
    {
        var random = new Random(seed);
        var vectors = new float[count * dim];
        for (var i = 0; i < count; i++)
        {
            var row = vectors.AsSpan(i * dim, dim);
            for (var j = 0; j < dim; j++)
                row[j] = (float)(random.NextDouble() * 2 - 1);
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(row, row));
            System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
        return (Enumerable.Range(1000, count).Select(i => (long)i).ToArray(), vectors);
    }

    /// <summary>Ids ordered by exact dot product with the query, best first.</summary>
    private static (long Id, float Score)[] BruteForce(long[] ids, float[] vectors, ReadOnlySpan<float> query, int k, int dim = Dim)
    {
        var scored = new (long, float)[ids.Length];
        for (var i = 0; i < ids.Length; i++)
            scored[i] = (ids[i], System.Numerics.Tensors.TensorPrimitives.Dot(vectors.AsSpan(i * dim, dim), query));
        return scored.OrderByDescending(s => s.Item2).Take(k).ToArray();
    }

    private static FaissIndex Filled(long[] ids, float[] vectors)
    {
        var index = FaissIndex.CreateInnerProduct(Dim);
        index.Add(ids, vectors);
        return index;
    }

    [Fact]
    public void New_index_reports_dimension_and_is_empty()
    {
        using var index = FaissIndex.CreateInnerProduct(Dim);
        Assert.Equal(Dim, index.Dimension);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Search(new float[Dim], 5).Ids);
    }

    [Fact]
    public void Search_returns_the_exact_nearest_by_inner_product_under_the_given_ids()
    {
        var (ids, vectors) = RandomUnitVectors(500, seed: 1);
        using var index = Filled(ids, vectors);
        Assert.Equal(500, index.Count);

        var (_, queries) = RandomUnitVectors(10, seed: 2);
        for (var q = 0; q < 10; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            var hits = index.Search(query, 10);
            var expected = BruteForce(ids, vectors, query, 10);
            Assert.Equal(expected.Select(e => e.Id), hits.Ids);
            for (var i = 0; i < 10; i++)
                Assert.Equal(expected[i].Score, hits.Scores[i], 4);
        }
    }

    [Fact]
    public void A_stored_vector_finds_itself_first_with_score_one()
    {
        var (ids, vectors) = RandomUnitVectors(200, seed: 3);
        using var index = Filled(ids, vectors);
        var hits = index.Search(vectors.AsSpan(42 * Dim, Dim), 3);
        Assert.Equal(ids[42], hits.Ids[0]);
        Assert.Equal(1f, hits.Scores[0], 4);
    }

    [Fact]
    public void Batch_search_matches_one_query_at_a_time()
    {
        var (ids, vectors) = RandomUnitVectors(300, seed: 4);
        using var index = Filled(ids, vectors);
        // 25 queries: FAISS switches from its per-query loop to a BLAS matrix product at 20.
        var (_, queries) = RandomUnitVectors(25, seed: 5);

        var batch = index.Search(queries, 25, 7);

        Assert.Equal(25, batch.Length);
        for (var q = 0; q < 25; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            Assert.Equal(BruteForce(ids, vectors, query, 7).Select(e => e.Id), batch[q].Ids);
            Assert.Equal(index.Search(query, 7).Ids, batch[q].Ids);
        }
    }

    [Fact]
    public void Asking_for_more_than_stored_returns_only_what_is_there()
    {
        var (ids, vectors) = RandomUnitVectors(3, seed: 6);
        using var index = Filled(ids, vectors);
        var hits = index.Search(vectors.AsSpan(0, Dim), 10);
        Assert.Equal(3, hits.Ids.Length);
        Assert.Equal(3, hits.Scores.Length);
        Assert.DoesNotContain(-1L, hits.Ids);
        Assert.Equal(ids.Order(), hits.Ids.Order());
    }

    [Fact]
    public void Remove_drops_exactly_the_present_ids_from_results()
    {
        var (ids, vectors) = RandomUnitVectors(100, seed: 7);
        using var index = Filled(ids, vectors);
        var query = vectors.AsSpan(10 * Dim, Dim);
        Assert.Equal(ids[10], index.Search(query, 1).Ids[0]);

        var removed = index.Remove([ids[10], ids[11], 999_999]);

        Assert.Equal(2, removed);
        Assert.Equal(98, index.Count);
        var hits = index.Search(query, 98);
        Assert.DoesNotContain(ids[10], hits.Ids);
        Assert.DoesNotContain(ids[11], hits.Ids);
        var keptIds = ids.Where(id => id != ids[10] && id != ids[11]).ToArray();
        Assert.Equal(keptIds.Order(), index.GetIds().Order());
        Assert.Equal(BruteForce(ids, vectors, query, 12).Select(e => e.Id).Where(id => keptIds.Contains(id)).Take(10),
            hits.Ids.Take(10));
    }

    [Fact]
    public void The_vectors_read_back_bit_for_bit_in_the_order_of_the_ids_also_after_a_save_and_a_remove()
    {
        var (ids, vectors) = RandomUnitVectors(50, seed: 11);
        var path = Path.Combine(_dir, "vectors.faiss");
        using (var index = Filled(ids, vectors))
        {
            Assert.Equal(vectors, index.GetVectors());
            index.Save(path);
        }
        using var loaded = FaissIndex.Load(path);
        Assert.Equal(ids, loaded.GetIds());
        Assert.Equal(vectors, loaded.GetVectors());

        loaded.Remove([ids[3]]);
        var kept = loaded.GetIds();
        var read = loaded.GetVectors();
        Assert.Equal(49 * Dim, read.Length);
        for (var i = 0; i < kept.Length; i++)
            Assert.Equal(vectors.AsSpan((int)(kept[i] - ids[0]) * Dim, Dim).ToArray(), read.AsSpan(i * Dim, Dim).ToArray());
        using var empty = FaissIndex.CreateInnerProduct(Dim);
        Assert.Empty(empty.GetVectors());
    }

    [Fact]
    public void Removed_id_can_be_added_again_but_a_present_id_cannot()
    {
        var (ids, vectors) = RandomUnitVectors(5, seed: 8);
        using var index = Filled(ids, vectors);

        var duplicate = Assert.Throws<ArgumentException>(() => index.Add([ids[0]], vectors.AsSpan(0, Dim)));
        Assert.Contains(ids[0].ToString(), duplicate.Message);
        Assert.Throws<ArgumentException>(() => index.Add([7, 7], vectors.AsSpan(0, 2 * Dim)));
        Assert.Equal(5, index.Count);

        index.Remove([ids[0]]);
        index.Add([ids[0]], vectors.AsSpan(Dim, Dim));
        Assert.Equal(ids[0], index.Search(vectors.AsSpan(Dim, Dim), 2).Ids.Order().First());
        Assert.Equal(5, index.Count);
    }

    [Fact]
    public void Save_then_load_gives_the_same_results()
    {
        var (ids, vectors) = RandomUnitVectors(400, seed: 9);
        var (_, queries) = RandomUnitVectors(5, seed: 10);
        var path = Path.Combine(_dir, "vectors.faiss");
        FaissHits[] before;
        using (var index = Filled(ids, vectors))
        {
            index.Remove([ids[0]]);
            before = index.Search(queries, 5, 8);
            index.Save(path);
        }

        using var loaded = FaissIndex.Load(path);

        Assert.Equal(Dim, loaded.Dimension);
        Assert.Equal(399, loaded.Count);
        var after = loaded.Search(queries, 5, 8);
        for (var q = 0; q < 5; q++)
        {
            Assert.Equal(before[q].Ids, after[q].Ids);
            Assert.Equal(before[q].Scores, after[q].Scores);
        }
        // The id map survives too: ids can still be removed after loading.
        Assert.Equal(1, loaded.Remove([ids[1]]));
    }

    [Fact]
    public void Save_replaces_the_previous_file_and_leaves_no_temporary_files()
    {
        var path = Path.Combine(_dir, "vectors.faiss");
        var (ids, vectors) = RandomUnitVectors(50, seed: 11);
        using (var first = Filled(ids[..10], vectors.AsSpan(0, 10 * Dim).ToArray()))
            first.Save(path);
        using (var second = Filled(ids, vectors))
            second.Save(path);

        Assert.Equal([path], Directory.GetFiles(_dir));
        using var loaded = FaissIndex.Load(path);
        Assert.Equal(50, loaded.Count);
    }

    [Fact]
    public void Failed_save_leaves_the_previous_file_intact_and_no_temporary_files()
    {
        var path = Path.Combine(_dir, "vectors.faiss");
        var (ids, vectors) = RandomUnitVectors(10, seed: 12);
        using var index = Filled(ids, vectors);
        index.Save(path);
        var saved = File.ReadAllBytes(path);

        // A folder where the target should be makes the final rename fail after the temporary file is written.
        var blocked = Path.Combine(_dir, "blocked.faiss");
        Directory.CreateDirectory(blocked);
        var error = Assert.Throws<FaissIndexException>(() => index.Save(blocked));

        Assert.Contains(blocked, error.Message);
        Assert.Equal(saved, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    [Fact]
    public void Wrong_vector_length_is_rejected_naming_the_dimension()
    {
        using var index = FaissIndex.CreateInnerProduct(Dim);

        var add = Assert.Throws<ArgumentException>(() => index.Add([1, 2], new float[2 * Dim - 1]));
        Assert.Contains($"dimension {Dim}", add.Message);
        var search = Assert.Throws<ArgumentException>(() => index.Search(new float[128], 3));
        Assert.Contains($"dimension {Dim}", search.Message);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Random_bytes_are_rejected_naming_the_file()
    {
        var path = Path.Combine(_dir, "random.faiss");
        var bytes = new byte[4096];
        new Random(13).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_text_file_is_rejected_naming_the_file()
    {
        var path = Path.Combine(_dir, "notes.md");
        File.WriteAllText(path, "# Not an index\n");

        var error = Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a FAISS", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(100)]
    [InlineData(5000)]
    public void A_truncated_index_file_is_rejected_naming_the_file(int keepBytes)
    {
        var path = Path.Combine(_dir, "vectors.faiss");
        var (ids, vectors) = RandomUnitVectors(20, seed: 14);
        using (var index = Filled(ids, vectors))
            index.Save(path);
        var full = File.ReadAllBytes(path);
        File.WriteAllBytes(path, full[..keepBytes]);

        var error = Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void An_index_with_its_last_byte_cut_off_is_rejected()
    {
        var path = Path.Combine(_dir, "vectors.faiss");
        var (ids, vectors) = RandomUnitVectors(20, seed: 15);
        using (var index = Filled(ids, vectors))
            index.Save(path);
        var full = File.ReadAllBytes(path);
        File.WriteAllBytes(path, full[..^1]);

        var error = Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_corrupt_count_in_the_header_is_rejected_without_allocating_it()
    {
        var path = Path.Combine(_dir, "vectors.faiss");
        var (ids, vectors) = RandomUnitVectors(20, seed: 16);
        using (var index = Filled(ids, vectors))
            index.Save(path);
        var bytes = File.ReadAllBytes(path);
        // ntotal of the outer header sits after the 4-byte tag and the 4-byte dimension.
        BitConverter.GetBytes(1L << 40).CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_missing_file_is_rejected_naming_the_file()
    {
        var path = Path.Combine(_dir, "absent.faiss");
        var error = Assert.Throws<FaissIndexException>(() => FaissIndex.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Faiss_runs_on_one_thread_unless_told_otherwise()
    {
        // Reads the count without changing it; single-query latency depends on this default.
        Assert.Equal(1, FaissIndex.SetThreadCount(0));
    }

    [Fact]
    public void Disposed_index_refuses_use()
    {
        var index = FaissIndex.CreateInnerProduct(8);
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Search(new float[8], 1));
        Assert.Throws<ObjectDisposedException>(() => _ = index.Count);
    }
}
