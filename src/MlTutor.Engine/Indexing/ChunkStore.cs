using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>A chunk as stored: its row number is its id in the FAISS index, and its vector travels with it.</summary>
public sealed record StoredChunk(long Row, Chunk Chunk, float[] Vector);

/// <summary>A line window of a chunk as stored (see <see cref="LineWindows"/>): its row is its id in the windows' FAISS index,
/// and the windows of one chunk have consecutive rows.</summary>
public sealed record StoredWindow(long Row, long ChunkRow, string Text, float[] Vector);

/// <summary>A source file as indexed: re-indexing compares <see cref="ContentHash"/> to decide what changed.</summary>
/// <param name="Length">The file's size when it was read, and <paramref name="LastWriteUtcTicks"/> its time of last change:
/// a file whose size and time are unchanged is not read again. Null in a store written before they were kept.</param>
public sealed record IndexedFile(string Path, string ContentHash, int Chunks, long? Length = null, long? LastWriteUtcTicks = null);

/// <summary>
/// The SQLite file of one generation: chunk texts, metadata and vectors, and the indexed files with their hashes.
/// Vectors are kept here as well as in the FAISS files, so that a damaged FAISS file is rebuilt from them without
/// embedding again. Opening the index for questions, and a build whose last generation is sound, read them from the
/// FAISS files, which hold them as one block.
/// </summary>
public static partial class ChunkStore
{
    public const string FileName = "chunks.db";

    /// <param name="settings">What the vectors were made with (see <see cref="ReadSettings"/>).</param>
    public static void Write(string path, IReadOnlyList<StoredChunk> chunks, IReadOnlyList<IndexedFile> files,
        IReadOnlyList<StoredWindow>? windows = null, IndexManifest? settings = null)
    {
        using var connection = Open(path, SqliteOpenMode.ReadWriteCreate);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = FULL;
                CREATE TABLE chunks (
                    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, heading_path TEXT NOT NULL,
                    start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, text TEXT NOT NULL, embedded_text TEXT NOT NULL,
                    tokens INTEGER NOT NULL, embedded_hash TEXT NOT NULL, vector BLOB NOT NULL, blank_lines_after INTEGER,
                    structure TEXT);
                CREATE TABLE files (path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, chunks INTEGER NOT NULL, length INTEGER, last_write_ticks INTEGER);
                CREATE TABLE windows (row INTEGER PRIMARY KEY, chunk_row INTEGER NOT NULL, text TEXT NOT NULL, vector BLOB NOT NULL);
                CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                """;
            create.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        InsertChunks(connection, tx, chunks);
        InsertFiles(connection, tx, files);
        InsertWindows(connection, tx, windows ?? []);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO settings VALUES ($name, $value)";
            var name = insert.Parameters.Add(new SqliteParameter { ParameterName = "$name" });
            var value = insert.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
            foreach (var (n, v) in SettingsOf(settings))
            {
                name.Value = n;
                value.Value = v;
                insert.ExecuteNonQuery();
            }
        }
        using (var index = connection.CreateCommand())
        {
            // Opening the index reads which chunk each window belongs to, and an update where each note's rows lie: from
            // these indexes rather than the tables, whose pages hold the vectors and texts too.
            index.Transaction = tx;
            index.CommandText = "CREATE INDEX windows_by_chunk ON windows (chunk_row); " + ChunksByFile;
            index.ExecuteNonQuery();
        }
        tx.Commit();
    }

    private static void InsertChunks(SqliteConnection connection, SqliteTransaction tx, IEnumerable<StoredChunk> chunks)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO chunks VALUES ($row, $id, $file, $heading, $start, $end, $text, $embedded, $tokens, $hash, $vector, $blank, $structure)";
        var p = new[] { "$row", "$id", "$file", "$heading", "$start", "$end", "$text", "$embedded", "$tokens", "$hash", "$vector", "$blank", "$structure" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        foreach (var s in chunks)
        {
            var c = s.Chunk;
            p[0].Value = s.Row; p[1].Value = c.Id; p[2].Value = c.File; p[3].Value = c.HeadingPath;
            p[4].Value = c.StartLine; p[5].Value = c.EndLine; p[6].Value = c.Text; p[7].Value = c.EmbeddedText;
            p[8].Value = c.Tokens; p[9].Value = EmbeddedHash(c.EmbeddedText); p[10].Value = MemoryMarshal.AsBytes(s.Vector.AsSpan()).ToArray();
            p[11].Value = c.BlankLinesAfter is { } blank ? blank : DBNull.Value;
            p[12].Value = c.Structure is { } structure ? ChunkStructureJson.Write(structure) : DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    private static void InsertFiles(SqliteConnection connection, SqliteTransaction tx, IEnumerable<IndexedFile> files)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO files VALUES ($path, $hash, $chunks, $length, $ticks)";
        var p = new[] { "$path", "$hash", "$chunks", "$length", "$ticks" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        foreach (var f in files)
        {
            p[0].Value = f.Path; p[1].Value = f.ContentHash; p[2].Value = f.Chunks;
            p[3].Value = f.Length is { } length ? length : DBNull.Value;
            p[4].Value = f.LastWriteUtcTicks is { } ticks ? ticks : DBNull.Value;
            insert.ExecuteNonQuery();
        }
    }

    private static void InsertWindows(SqliteConnection connection, SqliteTransaction tx, IEnumerable<StoredWindow> windows)
    {
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO windows VALUES ($row, $chunk, $text, $vector)";
        var p = new[] { "$row", "$chunk", "$text", "$vector" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        foreach (var w in windows)
        {
            p[0].Value = w.Row; p[1].Value = w.ChunkRow; p[2].Value = w.Text; p[3].Value = MemoryMarshal.AsBytes(w.Vector.AsSpan()).ToArray();
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>The index <see cref="ReadNoteRows"/> reads; a store written before it had it gains it with its first update.</summary>
    private const string ChunksByFile = "CREATE INDEX IF NOT EXISTS chunks_by_file ON chunks (file)";

    private static IEnumerable<(string Name, string Value)> SettingsOf(IndexManifest? settings) =>
        settings is null ? [] :
        [
            ("schema", settings.Schema.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("model", settings.Model),
            ("modelVariant", settings.ModelVariant), ("dimension", settings.Dimension.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("chunkingSignature", settings.ChunkingSignature), ("source", settings.Source),
        ];

    /// <summary>
    /// The settings the store's vectors and chunks were made with, as the manifest records them too (without its counts,
    /// time and checksums): a damaged manifest then loses nothing that was embedded. Null in a store written before they
    /// were kept here.
    /// </summary>
    public static IndexManifest? ReadSettings(string path)
    {
        if (!ReadAll(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'settings'", r => r.GetString(0)).Any()) return null;
        var values = ReadAll(path, "SELECT name, value FROM settings", r => (r.GetString(0), r.GetString(1))).ToDictionary(p => p.Item1, p => p.Item2);
        string Value(string name) => values.TryGetValue(name, out var v) ? v : throw new IndexCorruptException($"{path} records no {name}");
        if (!int.TryParse(Value("schema"), System.Globalization.CultureInfo.InvariantCulture, out var schema)
            || !int.TryParse(Value("dimension"), System.Globalization.CultureInfo.InvariantCulture, out var dimension))
            throw new IndexCorruptException($"{path} records settings that do not read");
        return new IndexManifest(schema, Value("model"), Value("modelVariant"), dimension, Value("chunkingSignature"), Value("source"), 0, 0, default);
    }

    /// <summary>Why SQLite finds the store damaged, or null when its pages and indexes are sound: the check for a store
    /// whose checksum was lost with its manifest.</summary>
    public static string? FindDamage(string path)
    {
        var report = ReadAll(path, "PRAGMA quick_check", r => r.GetString(0));
        return report is ["ok"] ? null : $"{path} is damaged ({string.Join("; ", report.Take(3))})";
    }

    /// <summary>All line windows in row order, with their vectors (none in a store written without them).</summary>
    public static List<StoredWindow> ReadWindows(string path) =>
        ReadAll(path, "SELECT row, chunk_row, text, vector FROM windows ORDER BY row",
            r => new StoredWindow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), Vector(r, 3)));

    /// <summary>All line windows in row order, without their vectors.</summary>
    public static List<(long Row, long ChunkRow, string Text)> ReadWindowsWithoutVectors(string path) =>
        ReadAll(path, "SELECT row, chunk_row, text FROM windows ORDER BY row", r => (r.GetInt64(0), r.GetInt64(1), r.GetString(2)));

    /// <summary>All chunks in row order, with their vectors.</summary>
    public static List<StoredChunk> ReadChunks(string path) =>
        ReadAll(path, $"SELECT row, vector, {ChunkColumns(path)} FROM chunks ORDER BY row",
            r => new StoredChunk(r.GetInt64(0), ChunkAt(r, 2), Vector(r, 1)));

    /// <summary>All chunks in row order, without their vectors.</summary>
    public static List<Chunk> ReadChunksWithoutVectors(string path) =>
        ReadAll(path, $"SELECT {ChunkColumns(path)} FROM chunks ORDER BY row", r => ChunkAt(r, 0));

    /// <summary>The columns <see cref="ChunkAt"/> reads. A store written before chunks knew the empty lines after them
    /// reads them as unknown (such chunks are never joined), and one written before chunks carried their structure reads
    /// it as unknown too, so an index can still be read before it is rebuilt.</summary>
    private static string ChunkColumns(string path) =>
        "id, file, heading_path, start_line, end_line, text, embedded_text, tokens, "
        + (HasColumn(path, "chunks", "blank_lines_after") ? "blank_lines_after" : "NULL") + ", "
        + (HasColumn(path, "chunks", "structure") ? "structure" : "NULL");

    /// <summary>A chunk from the <see cref="ChunkColumns"/> starting at column <paramref name="first"/>.</summary>
    private static Chunk ChunkAt(SqliteDataReader r, int first) =>
        new(r.GetString(first), r.GetString(first + 1), r.GetString(first + 2), r.GetInt32(first + 3), r.GetInt32(first + 4),
            r.GetString(first + 5), r.GetString(first + 6), r.GetInt32(first + 7), r.IsDBNull(first + 8) ? null : r.GetInt32(first + 8),
            r.IsDBNull(first + 9) ? null : ChunkStructureJson.Read(r.GetString(first + 9)));

    /// <summary>
    /// The row and chunk row of every line window, in no particular order. A store written with the windows_by_chunk
    /// index answers from it alone; an older one from the table, whose pages hold the windows' vectors as well.
    /// </summary>
    public static List<(long Row, long ChunkRow)> ReadWindowChunkRows(string path) =>
        ReadAll(path, "SELECT row, chunk_row FROM windows", r => (r.GetInt64(0), r.GetInt64(1)));

    private static bool HasColumn(string path, string table, string column) =>
        ReadAll(path, $"SELECT name FROM pragma_table_info('{table}')", r => r.GetString(0)).Contains(column);

    /// <summary>
    /// How many chunks and line windows the store holds, without reading them. Rows are FAISS ids, written from 0 without
    /// gaps, so a table's count is its highest row + 1, found at the right edge of its b-tree; COUNT(*) would visit every
    /// page of the windows table, and the vectors with them (about 185 MB at 10,000 chunks).
    /// </summary>
    public static (int Chunks, int Windows) ReadCounts(string path) =>
        ReadAll(path, "SELECT (SELECT IFNULL(MAX(row) + 1, 0) FROM chunks), (SELECT IFNULL(MAX(row) + 1, 0) FROM windows)",
            r => (r.GetInt32(0), r.GetInt32(1)))[0];

    public static List<IndexedFile> ReadFiles(string path) =>
        ReadAll(path, $"SELECT path, content_hash, chunks, {(HasColumn(path, "files", "length") ? "length, last_write_ticks" : "NULL, NULL")} FROM files ORDER BY path",
            r => new IndexedFile(r.GetString(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4)));

    /// <summary>Every row of a query, read with <paramref name="read"/>; an unreadable store says how to fix it.</summary>
    private static List<T> ReadAll<T>(string path, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        var result = new List<T>();
        try
        {
            using var reader = query.ExecuteReader();
            while (reader.Read()) result.Add(read(reader));
        }
        // A value that does not read (a chunk's structure) is as damaged as a page SQLite cannot read.
        catch (Exception e) when (e is SqliteException or FormatException)
        {
            throw new IndexCorruptException($"{path} cannot be read ({e.Message})", e);
        }
        return result;
    }

    private static float[] Vector(SqliteDataReader reader, int column) =>
        MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(column)).ToArray();

    /// <summary>The key under which a vector can be reused: the exact text the encoder saw.</summary>
    public static string EmbeddedHash(string embeddedText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(embeddedText)));

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        if (mode == SqliteOpenMode.ReadOnly && !File.Exists(path))
            throw new IndexCorruptException($"{path} is missing");
        // Pooling off: the generation folder is deleted after a rebuild and a pooled handle would keep the file open.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
