using System.Text;

namespace MlTutor.Indexing;

/// <summary>
/// The on-disk layout of an index and its crash safety. Each build writes a complete new generation folder
/// (<c>g-…/</c>: chunks.db, vectors.faiss, keyword/, manifest.json) and only then points the file <c>CURRENT</c> at it
/// with an atomic rename. A crash at any moment therefore leaves either the old or the new generation current,
/// never a half-written one; leftovers of an interrupted build are removed by the next build.
/// </summary>
public sealed class IndexFolder
{
    private const string CurrentFile = "CURRENT";
    private const string LockFile = ".lock";

    public IndexFolder(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    /// <summary>The folder of the current generation, or null when nothing has been built yet.</summary>
    public string? CurrentGeneration
    {
        get
        {
            var pointer = Path.Combine(Directory, CurrentFile);
            if (!File.Exists(pointer)) return null;
            var name = File.ReadAllText(pointer).Trim();
            var path = Path.Combine(Directory, name);
            if (name.Length == 0 || name.Contains('/') || !System.IO.Directory.Exists(path))
                throw new IndexCorruptException($"{pointer} points at a missing generation '{name}': rebuild with ./mltutor index --rebuild --index {Directory}");
            return path;
        }
    }

    /// <summary>Takes the folder's writer lock; a second writer gets a clear error instead of corrupting the index.</summary>
    /// <exception cref="IndexBusyException">Another process holds the lock.</exception>
    /// <exception cref="IndexReadOnlyException">The folder cannot be written, so nothing can be built there.</exception>
    public IDisposable AcquireWriteLock()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            return new FileStream(Path.Combine(Directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A lock held by another writer and a read-only file system both fail as an IOException (and a folder without
            // write permission as an UnauthorizedAccessException): whether another file can be created tells them apart.
            if (!CanCreateFiles())
                throw new IndexReadOnlyException(Directory, e.Message, IndexFreshness.NotCompared, null, e);
            if (e is UnauthorizedAccessException) throw; // the folder is writable but its lock file is not: the message names it
            throw new IndexBusyException($"another mltutor process is writing the index in {Directory}: wait for it to finish");
        }
    }

    /// <summary>Whether a new file can be created in the folder: not in a read-only copy or mount, or without permission.</summary>
    private bool CanCreateFiles()
    {
        try
        {
            using var probe = new FileStream(Path.Combine(Directory, $".write-probe-{Environment.ProcessId}"), FileMode.Create,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A new, empty generation folder (not yet current).</summary>
    public string CreateGeneration()
    {
        var name = $"g-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Environment.ProcessId}";
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Makes <paramref name="generation"/> current atomically, then removes every other generation.</summary>
    public void Publish(string generation)
    {
        var name = Path.GetFileName(generation);
        var tmp = Path.Combine(Directory, CurrentFile + ".tmp");
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(name + "\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(tmp, Path.Combine(Directory, CurrentFile), overwrite: true);
        RemoveGenerationsExcept(name);
    }

    /// <summary>Deletes generation folders other than <paramref name="keep"/>: old ones, and ones a crash left behind.</summary>
    public void RemoveGenerationsExcept(string? keep)
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory, "g-*"))
        {
            if (Path.GetFileName(dir) == keep) continue;
            try { System.IO.Directory.Delete(dir, recursive: true); }
            catch (IOException) { /* a reader on another process may hold it open; the next build retries */ }
            catch (UnauthorizedAccessException) { }
        }
    }
}

/// <summary>Another process holds the index's writer lock.</summary>
public sealed class IndexBusyException(string message) : Exception(message);

/// <summary>How the index in a folder compares with the notes.</summary>
public enum IndexFreshness
{
    /// <summary>Not looked at.</summary>
    NotCompared,
    /// <summary>The folder holds no index that can be read.</summary>
    NoIndex,
    UpToDate,
    /// <summary>The notes (or the settings) changed since the index was built.</summary>
    OutOfDate,
}

/// <summary>
/// The index folder cannot be written (a shared, read-only copy or mount, or no permission): an index there can still be
/// read, but not built or updated. <see cref="Freshness"/> says whether questions can be answered from it.
/// </summary>
public sealed class IndexReadOnlyException : Exception
{
    /// <param name="cause">Why the folder cannot be written, as the system said it.</param>
    /// <param name="changes">What changed since the index was built, in a few words, when it is <see cref="IndexFreshness.OutOfDate"/>.</param>
    public IndexReadOnlyException(string directory, string cause, IndexFreshness freshness, string? changes, Exception? inner = null)
        : base(Describe(directory, cause, freshness, changes), inner)
    {
        Directory = directory;
        Cause = cause;
        Freshness = freshness;
        Changes = changes;
    }

    public string Directory { get; }
    public string Cause { get; }
    public IndexFreshness Freshness { get; }
    public string? Changes { get; }

    /// <summary>How to get an index that can be updated, as the end of a sentence.</summary>
    public string Fix => FixFor(Directory, Freshness);

    /// <summary>The same refusal, with how the index in the folder compares with the notes.</summary>
    public IndexReadOnlyException ComparedWithNotes(IndexFreshness freshness, string? changes) =>
        new(Directory, Cause, freshness, changes, InnerException);

    private static string FixFor(string directory, IndexFreshness freshness) =>
        freshness is IndexFreshness.UpToDate or IndexFreshness.OutOfDate
            // A copy keeps the stored vectors, so updating it embeds only the changed notes.
            ? $"copy {directory} to a writable folder and pass that with --index (only what changed is embedded again), or make {directory} writable"
            : $"give a writable folder with --index, or make {directory} writable";

    private static string Describe(string directory, string cause, IndexFreshness freshness, string? changes)
    {
        var state = freshness switch
        {
            IndexFreshness.NoIndex => "; it holds no index",
            IndexFreshness.UpToDate => "; its index is up to date with the notes",
            IndexFreshness.OutOfDate => $"; its index is out of date ({changes})",
            _ => "",
        };
        var oneLine = string.Join(' ', cause.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
        return $"cannot write the index folder {directory} ({oneLine}){state}: to build or update the index, {FixFor(directory, freshness)}";
    }
}
