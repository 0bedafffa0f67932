using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MlTutor.Tutoring.Reviews;

/// <summary>A review to record: the item (by its stable id), the topic it is counted under, the rating and when.</summary>
/// <param name="Score">The grade's score (0..1) when the rating came from a graded answer.</param>
public sealed record ReviewRequest(string ItemId, string Topic, Rating Rating, DateTimeOffset At, double? Score = null);

/// <summary>An item as the review file keeps it: its memory state after its latest review and how many it had.</summary>
/// <param name="RetiredAt">When its lines were found gone from the notes; it keeps its history and comes back if they do.</param>
public sealed record ReviewedItem(string ItemId, string Topic, CardState Card, int Reviews, DateTimeOffset? RetiredAt)
{
    public bool Retired => RetiredAt is not null;
}

/// <summary>One review of an item's history: when, how it was rated, the recall FSRS expected just before (none on the
/// first review) and the state it left.</summary>
public sealed record ReviewLogEntry(DateTimeOffset At, Rating Rating, double? Score, double? RetrievabilityBefore, CardState After);

/// <summary>What matching the review file with the notes' items changed.</summary>
public sealed record RetirementChange(int Retired, int Restored);

/// <summary>
/// The review state of one corpus in its own SQLite file: per item its FSRS state and due time, and the log of every
/// review. Each save is one transaction in write-ahead-log mode with full syncs, so a process killed while saving leaves
/// the file as it was before that save or after it, never between; a review's log entry and the item's new state are
/// written together. Items are keyed by their stable ids (see <c>Ingestion.ItemIds</c>), which hold through re-indexing
/// and new chunkers; items whose notes are gone are marked retired, never deleted. Every call opens its own connection,
/// so one store may be used from several threads, and several processes share the file through SQLite's locks.
/// </summary>
public sealed class ReviewStore(string path)
{
    public const string FileName = "reviews.db";

    /// <summary>The layout this code writes (SQLite's user_version); a file of a later one is not touched.</summary>
    private const int Schema = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public bool Exists => File.Exists(Path);

    /// <summary>
    /// Schedules and saves <paramref name="reviews"/> in one transaction, in order: each item's state is read, moved on by
    /// <paramref name="fsrs"/> and written with its log entry. Nothing is saved unless all are.
    /// </summary>
    /// <returns>Each review's entry in the log, in the order given.</returns>
    public IReadOnlyList<ReviewLogEntry> Record(IEnumerable<ReviewRequest> reviews, Fsrs fsrs)
    {
        using var connection = Open(create: true);
        Begin(connection);
        var entries = new List<ReviewLogEntry>();
        foreach (var review in reviews)
        {
            Check(review);
            var item = Find(connection, review.ItemId);
            var before = item is null ? (double?)null : fsrs.Retrievability(item.Card, review.At);
            var after = fsrs.Review(item?.Card, review.Rating, review.At);
            Execute(connection, """
                INSERT INTO items (item_id, topic, stage, step, stability, difficulty, last_review, due, reviews, retired_at)
                VALUES ($id, $topic, $stage, $step, $stability, $difficulty, $last, $due, 1, NULL)
                ON CONFLICT (item_id) DO UPDATE SET topic = $topic, stage = $stage, step = $step, stability = $stability,
                    difficulty = $difficulty, last_review = $last, due = $due, reviews = reviews + 1, retired_at = NULL
                """, State(after, ("$id", review.ItemId), ("$topic", review.Topic)));
            Execute(connection, """
                INSERT INTO reviews (item_id, reviewed_at, rating, score, retrievability, stage, step, stability, difficulty, due)
                VALUES ($id, $last, $rating, $score, $retrievability, $stage, $step, $stability, $difficulty, $due)
                """, State(after, ("$id", review.ItemId), ("$rating", (int)review.Rating), ("$score", review.Score), ("$retrievability", before)));
            entries.Add(new ReviewLogEntry(review.At, review.Rating, review.Score, before, after));
        }
        Execute(connection, "COMMIT");
        return entries;
    }

    /// <summary>The item's state, or null when it was never reviewed.</summary>
    public ReviewedItem? Find(string itemId)
    {
        if (!Exists) return null;
        using var connection = Open(create: false);
        return Find(connection, itemId);
    }

    /// <summary>Every reviewed item, retired ones included, soonest due first.</summary>
    public IReadOnlyList<ReviewedItem> Items()
    {
        if (!Exists) return [];
        using var connection = Open(create: false);
        return Query(connection, $"SELECT {ItemColumns} FROM items ORDER BY due, item_id", ReadItem);
    }

    /// <summary>The item's reviews, oldest first.</summary>
    public IReadOnlyList<ReviewLogEntry> History(string itemId)
    {
        if (!Exists) return [];
        using var connection = Open(create: false);
        return Query(connection, """
            SELECT reviewed_at, rating, score, retrievability, stage, step, stability, difficulty, due
            FROM reviews WHERE item_id = $id ORDER BY id
            """, r => new ReviewLogEntry(Time(r, 0), (Rating)r.GetInt32(1), Nullable(r, 2), Nullable(r, 3),
                new CardState((CardStage)r.GetInt32(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.GetDouble(6), r.GetDouble(7), Time(r, 0), Time(r, 8))),
            ("$id", itemId));
    }

    /// <summary>
    /// Marks retired, at <paramref name="at"/>, every item whose id is not among <paramref name="present"/> (the items the
    /// notes hold now), and restores a retired one whose id is back. Histories stay either way.
    /// </summary>
    public RetirementChange Retire(IReadOnlyCollection<string> present, DateTimeOffset at)
    {
        if (!Exists) return new RetirementChange(0, 0);
        using var connection = Open(create: false);
        Begin(connection);
        Execute(connection, "CREATE TEMP TABLE present (item_id TEXT PRIMARY KEY) WITHOUT ROWID");
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT OR IGNORE INTO temp.present VALUES ($id)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            foreach (var itemId in present)
            {
                id.Value = itemId;
                insert.ExecuteNonQuery();
            }
        }
        var retired = Execute(connection, "UPDATE items SET retired_at = $at WHERE retired_at IS NULL AND item_id NOT IN (SELECT item_id FROM temp.present)",
            ("$at", Text(at)));
        var restored = Execute(connection, "UPDATE items SET retired_at = NULL WHERE retired_at IS NOT NULL AND item_id IN (SELECT item_id FROM temp.present)");
        Execute(connection, "DROP TABLE temp.present");
        Execute(connection, "COMMIT");
        return new RetirementChange(retired, restored);
    }

    private const string ItemColumns = "item_id, topic, stage, step, stability, difficulty, last_review, due, reviews, retired_at";

    private static ReviewedItem? Find(SqliteConnection connection, string itemId) =>
        Query(connection, $"SELECT {ItemColumns} FROM items WHERE item_id = $id", ReadItem, ("$id", itemId)).SingleOrDefault();

    private static ReviewedItem ReadItem(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1),
            new CardState((CardStage)r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt32(3), r.GetDouble(4), r.GetDouble(5), Time(r, 6), Time(r, 7)),
            r.GetInt32(8), r.IsDBNull(9) ? null : Time(r, 9));

    private static (string, object?)[] State(CardState card, params (string, object?)[] more) =>
    [
        ("$stage", (int)card.Stage), ("$step", card.Step), ("$stability", card.Stability), ("$difficulty", card.Difficulty),
        ("$last", Text(card.LastReview)), ("$due", Text(card.Due)), .. more,
    ];

    private static void Check(ReviewRequest review)
    {
        if (string.IsNullOrWhiteSpace(review.ItemId)) throw new ArgumentException("a review needs the item's id", nameof(review));
        ArgumentNullException.ThrowIfNull(review.Topic);
        if (review.Score is { } score && !(score is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(review), score, "a score lies from 0 to 1");
    }

    /// <summary>
    /// Opens the file, creating it (and its folder) with its tables when <paramref name="create"/>. A file that is not a
    /// review file, one written by a later version or one that cannot be written is a one-line error naming it.
    /// </summary>
    private SqliteConnection Open(bool create)
    {
        SqliteConnection? connection = null;
        try
        {
            if (create) Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            // Pooling off: a pooled handle would keep the file open after the tutor is done with it.
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path,
                Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            // Write-ahead log with full syncs: a commit is on disk when it returns, and a killed writer's half transaction
            // is never read back. Foreign keys tie each log entry to its item.
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version > Schema)
                throw new TutorException($"the review file {Path} was written by a later version of mltutor (layout {version}; this one reads {Schema})", Remedy.None);
            if (version < Schema) CreateTables(connection);
            return connection;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            var what = e is SqliteException { SqliteErrorCode: 26 } ? "is not a review file" : create ? "cannot be written" : "cannot be read";
            throw new TutorException($"the review file {Path} {what} ({Reason(e)})", Remedy.FixSetting, e) { Setting = "Review:Directory" };
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    private static void CreateTables(SqliteConnection connection)
    {
        Begin(connection);
        Execute(connection, $"""
            CREATE TABLE IF NOT EXISTS items (
                item_id TEXT PRIMARY KEY, topic TEXT NOT NULL,
                stage INTEGER NOT NULL, step INTEGER, stability REAL NOT NULL, difficulty REAL NOT NULL,
                last_review TEXT NOT NULL, due TEXT NOT NULL, reviews INTEGER NOT NULL, retired_at TEXT) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS items_by_due ON items (due);
            CREATE TABLE IF NOT EXISTS reviews (
                id INTEGER PRIMARY KEY, item_id TEXT NOT NULL REFERENCES items (item_id),
                reviewed_at TEXT NOT NULL, rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), score REAL, retrievability REAL,
                stage INTEGER NOT NULL, step INTEGER, stability REAL NOT NULL, difficulty REAL NOT NULL, due TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS reviews_by_item ON reviews (item_id, id);
            PRAGMA user_version = {Schema};
            """);
        Execute(connection, "COMMIT");
    }

    /// <summary>
    /// Starts a write transaction, taking the file's write lock at once so that a read-then-write (an item's state, then
    /// its next one) never races another process. Whatever is not committed is rolled back when the connection closes,
    /// on an exception as when the process dies.
    /// </summary>
    private static void Begin(SqliteConnection connection) => Execute(connection, "BEGIN IMMEDIATE");

    private static string Reason(Exception e) => (e is SqliteException s ? s.Message.Replace("SQLite Error ", "") : e.Message).ReplaceLineEndings(" ").TrimEnd('.');

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql, []);
        return command.ExecuteScalar();
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(SqliteDataReader r, int column) =>
        DateTimeOffset.ParseExact(r.GetString(column), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static double? Nullable(SqliteDataReader r, int column) => r.IsDBNull(column) ? null : r.GetDouble(column);
}
