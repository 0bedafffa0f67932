namespace MlTutor.Indexing;

/// <summary>A new generation could not be written (the disk is full): nothing was published, the index in the folder is
/// the one it held before. <see cref="KeptIndex"/> says whether there is one to answer from.</summary>
public sealed class IndexWriteException : TutorException
{
    public IndexWriteException(IndexFolder folder, string reason, Exception? inner)
        : this(folder.Directory, reason, folder.HasPublishedGeneration, inner)
    {
    }

    private IndexWriteException(string directory, string reason, bool keptIndex, Exception? inner)
        : base(Describe(directory, reason, keptIndex), Remedy.FreeDiskSpace, inner)
    {
        Directory = directory;
        KeptIndex = keptIndex;
    }

    public string Directory { get; }
    public bool KeptIndex { get; }

    /// <summary>Whether <paramref name="e"/> or an exception inside it says the disk is full, in any of the ways SQLite,
    /// .NET, Lucene and FAISS say it.</summary>
    public static bool IsOutOfSpace(Exception e)
    {
        const int noSpace = 28; // ENOSPC, which .NET gives as an IOException's HResult on Unix
        const int sqliteFull = 13;
        for (var x = e; x != null; x = x.InnerException)
        {
            if (x is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: sqliteFull } || x is IOException { HResult: noSpace }
                || x.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string Describe(string directory, string reason, bool kept)
    {
        return $"cannot write the new index in {directory}: {reason}; "
            + (kept ? "the index there was kept as it was" : "nothing was published");
    }
}
