using Microsoft.Data.Sqlite;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Indexing;

/// <summary>The SQLite chunk store on disk.</summary>
public sealed class ChunkStoreTests
{
    private readonly string _dir = TestPaths.NewTempDir("mltutor-store");

    private static Chunk Chunk(string id, int line, int? blankLinesAfter) =>
        new(id, "a.md", "A", line, line, $"line {line}", $"A\nline {line}", 6, blankLinesAfter);

    [Fact]
    public void Chunks_read_back_as_written_including_the_empty_lines_after_them()
    {
        var path = Path.Combine(_dir, ChunkStore.FileName);
        var chunks = new[] { Chunk("a", 1, 2), Chunk("b", 4, null), Chunk("c", 5, 0) };
        ChunkStore.Write(path, chunks.Select((c, i) => new StoredChunk(i, c, [i, 1f])).ToList(), [new IndexedFile("a.md", "h", 3)]);

        var read = ChunkStore.ReadChunks(path);

        Assert.Equal(chunks, read.Select(s => s.Chunk).ToArray());
        Assert.Equal([2f, 1f], read[2].Vector);
        Assert.Equal(chunks, ChunkStore.ReadChunksWithoutVectors(path));
    }

    private static readonly ChunkStructure Structure = new(
        [
            new ChunkBlock(BlockKind.Heading, 0, 0),
            new ChunkBlock(BlockKind.Paragraph, 2, 2, BlockRole.QaQuestion),
            new ChunkBlock(BlockKind.ListItem, 4, 5, BlockRole.QaAnswer),
        ],
        [
            new NoteItem("section:0123456789ab", ItemKind.Section, "Notes › Régularisation", null, 0, 5),
            new NoteItem("qa:ba9876543210-2", ItemKind.QaPair, "Notes › Régularisation", "**Q: Why \"dropout\"?**", 2, 5)
            {
                KeyPoints =
                [
                    new ItemKeyPoint("It stops units co-adapting.", "Why \"dropout\"?", 12, 12, []),
                    new ItemKeyPoint("Uses: CNNs; MLPs", null, 13, 14, ["Uses: CNNs", "Uses: MLPs"]),
                ],
            },
        ]);

    [Fact]
    public void Chunks_read_back_with_their_structure()
    {
        var path = Path.Combine(_dir, ChunkStore.FileName);
        var chunks = new[] { Chunk("a", 1, 1) with { Structure = Structure }, Chunk("b", 8, 0) };
        ChunkStore.Write(path, chunks.Select((c, i) => new StoredChunk(i, c, [i, 1f])).ToList(), [new IndexedFile("a.md", "h", 2)]);

        var read = ChunkStore.ReadChunksWithoutVectors(path);

        Assert.Equal(chunks, read);
        Assert.Equal(Structure.Blocks, read[0].Structure!.Blocks);
        Assert.Equal(Structure.Items, read[0].Structure!.Items);
        Assert.Equal(Structure.Items[1].KeyPoints, read[0].Structure!.Items[1].KeyPoints);
        Assert.Equal(["Uses: CNNs", "Uses: MLPs"], read[0].Structure!.Items[1].KeyPoints[1].Items);
        Assert.Equal("section:0123456789ab", read[0].ItemId);
        Assert.Null(read[1].Structure);
        Assert.Equal(chunks, ChunkStore.ReadChunks(path).Select(s => s.Chunk));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"blocks\":[[\"sidebar\",0,0]],\"items\":[]}")]
    [InlineData("{\"blocks\":[],\"items\":[{\"id\":\"section:0\"}]}")]
    [InlineData("{\"blocks\":[[1,0,0]],\"items\":[]}")]
    [InlineData("{\"blocks\":[[\"heading\",0]],\"items\":[]}")]
    [InlineData("{\"blocks\":[],\"items\":[{\"id\":\"s\",\"kind\":\"section\",\"headingPath\":\"A\",\"lines\":[0]}]}")]
    [InlineData("{\"blocks\":[],\"items\":[{\"id\":\"s\",\"kind\":\"section\",\"headingPath\":\"A\",\"lines\":[0,1],\"keyPoints\":[{\"lines\":[3,4]}]}]}")]
    [InlineData("{\"blocks\":[],\"items\":[{\"id\":\"s\",\"kind\":\"section\",\"headingPath\":\"A\",\"lines\":[0,1],\"keyPoints\":[{\"text\":\"T\",\"lines\":[9,-3]}]}]}")]
    [InlineData("{\"blocks\":[]}")]
    [InlineData("{\"blocks\":[[\"heading\",0,0]],\"items\":[]")]
    public void A_structure_that_does_not_read_is_reported_with_the_fix(string stored)
    {
        var path = Path.Combine(_dir, ChunkStore.FileName);
        ChunkStore.Write(path, [new StoredChunk(0, Chunk("a", 1, 0) with { Structure = Structure }, [1f])], [new IndexedFile("a.md", "h", 1)]);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE chunks SET structure = $stored";
            command.Parameters.AddWithValue("$stored", stored);
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<IndexCorruptException>(() => ChunkStore.ReadChunksWithoutVectors(path));
        Assert.Contains(path, e.Message);
        Assert.Equal(Remedy.RebuildIndex, e.Remedy);
    }

    [Fact]
    public void The_chunk_of_each_window_reads_back_from_a_store_with_or_without_the_index_on_it()
    {
        var path = Path.Combine(_dir, ChunkStore.FileName);
        var chunks = new[] { Chunk("a", 1, 0), Chunk("b", 2, 0), Chunk("c", 3, 0) };
        long[] chunkOfWindow = [0, 0, 2, 2, 2];
        ChunkStore.Write(path, chunks.Select((c, i) => new StoredChunk(i, c, [i, 1f])).ToList(), [new IndexedFile("a.md", "h", 3)],
            chunkOfWindow.Select((c, w) => new StoredWindow(w, c, $"window {w}", [w, 0f])).ToList());
        var expected = chunkOfWindow.Select((c, w) => ((long)w, c)).ToArray();

        Assert.Equal(expected, ChunkStore.ReadWindowChunkRows(path).Order().ToArray());

        // A store written before the index was: the same rows, read from the table.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP INDEX windows_by_chunk";
            command.ExecuteNonQuery();
        }
        Assert.Equal(expected, ChunkStore.ReadWindowChunkRows(path).Order().ToArray());
    }

    [Fact]
    public void A_store_written_before_chunks_counted_their_empty_lines_reads_them_as_unknown()
    {
        var path = Path.Combine(_dir, ChunkStore.FileName);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE chunks (
                    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, heading_path TEXT NOT NULL,
                    start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, text TEXT NOT NULL, embedded_text TEXT NOT NULL,
                    tokens INTEGER NOT NULL, embedded_hash TEXT NOT NULL, vector BLOB NOT NULL);
                INSERT INTO chunks VALUES (0, 'a', 'a.md', 'A', 3, 4, 'x y', 'A x y', 7, 'h', x'0000803f');
                """;
            command.ExecuteNonQuery();
        }

        var chunk = Assert.Single(ChunkStore.ReadChunks(path)).Chunk;

        Assert.Equal(new Chunk("a", "a.md", "A", 3, 4, "x y", "A x y", 7), chunk);
        Assert.Null(chunk.BlankLinesAfter);
        Assert.Null(chunk.Structure);
        Assert.Equal(chunk, Assert.Single(ChunkStore.ReadChunksWithoutVectors(path)));
    }
}
