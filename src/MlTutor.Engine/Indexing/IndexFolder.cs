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
    public IDisposable AcquireWriteLock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            return new FileStream(Path.Combine(Directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new IndexBusyException($"another mltutor process is writing the index in {Directory}: wait for it to finish");
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
