using Microsoft.Data.Sqlite;
using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>Where one note's rows lie in a store: its chunks' rows and its line windows' rows, each a consecutive run.</summary>
internal sealed record NoteRows(string File, long FirstChunk, int Chunks, long FirstWindow, int Windows);

/// <summary>A run of consecutive rows that keeps its content and moves by <paramref name="Shift"/> rows.</summary>
internal sealed record MovedRows(long First, int Count, long Shift);

/// <summary>
/// How a copy of the last generation's store becomes the next one: the rows of the notes that changed or left go, the
/// rows of the notes kept move to their places in the new order, and the new notes' rows come in.
/// </summary>
/// <param name="RemovedChunks">Runs of chunk rows to delete (first row, count), and <paramref name="RemovedWindows"/> of window rows.</param>
/// <param name="MovedChunks">Runs of kept chunks that change place; <paramref name="MovedWindows"/> the windows of those
/// chunks, each with the shift of its chunks as well (<see cref="MovedWindowRows"/>).</param>
/// <param name="Files">Every note of the new generation, as the files table holds them.</param>
internal sealed record StorePatch(
    IReadOnlyList<(long First, int Count)> RemovedChunks, IReadOnlyList<(long First, int Count)> RemovedWindows,
    IReadOnlyList<MovedRows> MovedChunks, IReadOnlyList<MovedWindowRows> MovedWindows,
    IReadOnlyList<StoredChunk> NewChunks, IReadOnlyList<StoredWindow> NewWindows, IReadOnlyList<IndexedFile> Files);

/// <summary>A run of window rows that moves by <paramref name="Shift"/>, whose chunks move by <paramref name="ChunkShift"/>.</summary>
internal sealed record MovedWindowRows(long First, int Count, long Shift, long ChunkShift);

public static partial class ChunkStore
{
    /// <summary>
    /// Each note's rows, in row order; null when they are not laid out as a build writes them (every note's chunks one
    /// run, its windows one run, the runs in the same order and without gaps), which only a store of another making has,
    /// or when the store lacks a column rows are written with now (one written before it was added).
    /// </summary>
    internal static List<NoteRows>? ReadNoteRows(string path)
    {
        if (!HasColumn(path, "chunks", "structure") || !HasColumn(path, "chunks", "blank_lines_after") || !HasColumn(path, "files", "length")) return null;
        // From the chunks_by_file index where the store has it.
        var chunkRuns = ReadAll(path, "SELECT file, MIN(row), COUNT(*), MAX(row) FROM chunks GROUP BY file ORDER BY MIN(row)",
            r => (File: r.GetString(0), First: r.GetInt64(1), Count: r.GetInt32(2), Last: r.GetInt64(3)));
        // From the windows_by_chunk index alone: the windows' pages hold their vectors.
        var windowsByChunk = ReadAll(path, "SELECT chunk_row, MIN(row), COUNT(*), MAX(row) FROM windows GROUP BY chunk_row",
            r => (Chunk: r.GetInt64(0), First: r.GetInt64(1), Count: r.GetInt32(2), Last: r.GetInt64(3))).ToDictionary(w => w.Chunk);
        var notes = new List<NoteRows>(chunkRuns.Count);
        long nextChunk = 0, nextWindow = 0;
        foreach (var run in chunkRuns)
        {
            if (run.First != nextChunk || run.Last != run.First + run.Count - 1) return null;
            var firstWindow = nextWindow;
            for (var row = run.First; row <= run.Last; row++)
            {
                if (!windowsByChunk.Remove(row, out var w)) continue; // a chunk without a letter has no windows
                if (w.First != nextWindow || w.Last != w.First + w.Count - 1) return null;
                nextWindow += w.Count;
            }
            notes.Add(new NoteRows(run.File, run.First, run.Count, firstWindow, (int)(nextWindow - firstWindow)));
            nextChunk += run.Count;
        }
        return windowsByChunk.Count == 0 ? notes : null;
    }

    /// <summary>The chunks and line windows of <paramref name="notes"/>, with their vectors.</summary>
    internal static ReusableRows ReadRowsOf(string path, IEnumerable<NoteRows> notes)
    {
        var rows = new ReusableRows([], []);
        foreach (var note in notes)
        {
            rows.Chunks.AddRange(ReadAll(path, $"SELECT row, vector, {ChunkColumns(path)} FROM chunks WHERE row BETWEEN {note.FirstChunk} AND {note.FirstChunk + note.Chunks - 1} ORDER BY row",
                r => new StoredChunk(r.GetInt64(0), ChunkAt(r, 2), Vector(r, 1))));
            rows.Windows.AddRange(ReadAll(path, $"SELECT row, chunk_row, text, vector FROM windows WHERE row BETWEEN {note.FirstWindow} AND {note.FirstWindow + note.Windows - 1} ORDER BY row",
                r => new StoredWindow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), Vector(r, 3))));
        }
        return rows;
    }

    /// <summary>The chunks of <paramref name="notes"/>, without their vectors, in row order.</summary>
    internal static List<Chunk> ReadChunksOf(string path, IEnumerable<NoteRows> notes) =>
        [.. notes.SelectMany(note => ReadAll(path,
            $"SELECT {ChunkColumns(path)} FROM chunks WHERE row BETWEEN {note.FirstChunk} AND {note.FirstChunk + note.Chunks - 1} ORDER BY row",
            r => ChunkAt(r, 0)))];

    /// <summary>
    /// Turns the store at <paramref name="path"/> (a copy of the last generation's, not yet published) into the next
    /// generation's in one transaction, and makes it durable. Rows that move are first parked at negative rows, then
    /// put in place: moving them straight would run into rows that have yet to move out of the way.
    /// </summary>
    internal static void Patch(string path, StorePatch patch)
    {
        using (var connection = Open(path, SqliteOpenMode.ReadWrite))
        {
            Execute(connection, null, "PRAGMA journal_mode = OFF; PRAGMA synchronous = FULL;");
            using var tx = connection.BeginTransaction();
            foreach (var (first, count) in patch.RemovedChunks)
                Execute(connection, tx, $"DELETE FROM chunks WHERE row BETWEEN {first} AND {first + count - 1}");
            foreach (var (first, count) in patch.RemovedWindows)
                Execute(connection, tx, $"DELETE FROM windows WHERE row BETWEEN {first} AND {first + count - 1}");
            foreach (var m in patch.MovedChunks)
                Execute(connection, tx, $"UPDATE chunks SET row = -1 - (row + {m.Shift}) WHERE row BETWEEN {m.First} AND {m.First + m.Count - 1}");
            foreach (var m in patch.MovedWindows)
                Execute(connection, tx, $"UPDATE windows SET row = -1 - (row + {m.Shift}), chunk_row = chunk_row + {m.ChunkShift} WHERE row BETWEEN {m.First} AND {m.First + m.Count - 1}");
            if (patch.MovedChunks.Count > 0) Execute(connection, tx, "UPDATE chunks SET row = -1 - row WHERE row < 0");
            if (patch.MovedWindows.Count > 0) Execute(connection, tx, "UPDATE windows SET row = -1 - row WHERE row < 0");
            InsertChunks(connection, tx, patch.NewChunks);
            InsertWindows(connection, tx, patch.NewWindows);
            Execute(connection, tx, ChunksByFile);
            Execute(connection, tx, "DELETE FROM files");
            InsertFiles(connection, tx, patch.Files);
            tx.Commit();
        }
        // Journal off: the commit's own sync covers the pages it wrote; the file is synced once more for the pages beneath
        // them, which costs nothing when the copy was made durable before.
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
