using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace MlTutor.Indexing;

public static partial class ChunkStore
{
    /// <summary>
    /// What a damaged store still holds, for a rebuild to reuse rather than embed again: each chunk and line window whose
    /// row SQLite can still read and whose stored vector is, byte for byte, the one the FAISS files hold at its row (those
    /// files matched their checksums, so they are the reference), a chunk's embedded text matching its stored hash too. A
    /// rebuild reuses a vector only for the very text it is stored with, so a row the damage touched elsewhere costs at
    /// most its own embedding. Rows are read one by one, so that a damaged page loses only the rows on it.
    /// </summary>
    /// <param name="chunkVectors">The chunk vectors of vectors.faiss, the vector of row i at i.</param>
    /// <param name="windowVectors">The line window vectors of windows.faiss, likewise.</param>
    /// <exception cref="IndexCorruptException">The store cannot be opened, or its schema cannot be read.</exception>
    internal static ReusableRows Salvage(string path, float[][] chunkVectors, float[][] windowVectors)
    {
        var columns = ChunkColumns(path);
        using var connection = Open(path, SqliteOpenMode.ReadOnly);
        var chunks = ReadEachRow(connection, $"SELECT vector, embedded_hash, {columns} FROM chunks WHERE row = $row", chunkVectors.Length,
            (r, row) => Same(r, 0, chunkVectors[row]) && ChunkAt(r, 2) is var chunk && EmbeddedHash(chunk.EmbeddedText) == r.GetString(1)
                ? new StoredChunk(row, chunk, chunkVectors[row]) : null);
        var windows = ReadEachRow(connection, "SELECT vector, chunk_row, text FROM windows WHERE row = $row", windowVectors.Length,
            (r, row) => Same(r, 0, windowVectors[row]) ? new StoredWindow(row, r.GetInt64(1), r.GetString(2), windowVectors[row]) : null);
        return new ReusableRows(chunks, windows);
    }

    /// <summary>Each of the rows 0 … count − 1 that reads, and that <paramref name="read"/> finds sound (non-null).</summary>
    private static List<T> ReadEachRow<T>(SqliteConnection connection, string sql, int count, Func<SqliteDataReader, int, T?> read) where T : class
    {
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        var row = query.Parameters.Add(new SqliteParameter { ParameterName = "$row" });
        var found = new List<T>();
        for (var i = 0; i < count; i++)
        {
            row.Value = i;
            try
            {
                using var reader = query.ExecuteReader();
                if (reader.Read() && read(reader, i) is { } sound) found.Add(sound);
            }
            // A row on a page SQLite cannot read, or one whose values no longer read as what they were written as (a NULL,
            // a number out of range, text that is not the JSON it was): embedded again.
            catch (Exception e) when (e is SqliteException or FormatException or InvalidCastException or InvalidOperationException
                or OverflowException or ArgumentException)
            {
            }
        }
        return found;
    }

    private static bool Same(SqliteDataReader reader, int column, float[] vector) =>
        reader.GetValue(column) is byte[] stored && stored.AsSpan().SequenceEqual(MemoryMarshal.AsBytes(vector.AsSpan()));
}
