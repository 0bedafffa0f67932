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
    private const string ProbePrefix = ".write-probe-";

    /// <summary>Written first into every index folder: only a folder that carries it (or an index built before it
    /// existed) is ever written to, so a mistyped --index never touches a user's files.</summary>
    public const string MarkerFile = "mltutor-index";

    /// <summary>Written first into every generation folder, so that a generation a crash left half-written (without its
    /// manifest yet) is still known as ours and removed, while any other folder is left alone.</summary>
    private const string GenerationMarkerFile = "mltutor-generation";

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
            if (!IsGenerationName(name) || !System.IO.Directory.Exists(path))
                throw new IndexCorruptException($"{pointer} points at a missing generation '{name}'", Directory);
            return path;
        }
    }

    /// <summary>The name of the generation CURRENT names, or null when there is none, it cannot be read or names no
    /// generation that exists: a cheaper <see cref="CurrentGeneration"/> that never throws.</summary>
    public string? PublishedName
    {
        get
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(Directory, CurrentFile)).Trim();
                return IsGenerationName(name) && System.IO.Directory.Exists(Path.Combine(Directory, name)) ? name : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Refuses a folder that is, or lies inside, the notes folder <paramref name="corpusDirectory"/>: the index's files
    /// would be read as notes, and cleaning up its generations could remove the user's own folders.
    /// </summary>
    /// <exception cref="IndexFolderRefusedException">The index folder is inside the notes.</exception>
    public void RequireOutside(string corpusDirectory)
    {
        var notes = RealPath(corpusDirectory);
        var index = RealPath(Directory);
        if (index == notes || index.StartsWith(notes + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new IndexFolderRefusedException(Directory,
                $"the index folder {Directory} is {(index == notes ? "the notes folder itself" : $"inside the notes folder {corpusDirectory}")}: "
                + "the index must lie outside the notes");
    }

    /// <summary>Takes the folder's writer lock; a second writer gets a clear error instead of corrupting the index.</summary>
    /// <exception cref="IndexBusyException">Another process holds the lock.</exception>
    /// <exception cref="IndexReadOnlyException">The folder cannot be written, so nothing can be built there.</exception>
    /// <exception cref="IndexFolderRefusedException">The folder holds files of its own and is not an index: nothing is written there.</exception>
    public IDisposable AcquireWriteLock()
    {
        RequireOurs();
        FileStream writeLock;
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            writeLock = new FileStream(Path.Combine(Directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A lock held by another writer and a read-only file system both fail as an IOException (and a folder without
            // write permission as an UnauthorizedAccessException): whether another file can be created tells them apart.
            if (!CanCreateFiles())
                throw new IndexReadOnlyException(Directory, e.Message, IndexFreshness.NotCompared, null, e);
            if (e is UnauthorizedAccessException) throw; // the folder is writable but its lock file is not: the message names it
            throw new IndexBusyException($"another mltutor process is writing the index in {Directory}", HasPublishedGeneration);
        }
        try
        {
            var marker = Path.Combine(Directory, MarkerFile);
            if (!File.Exists(marker)) AtomicFile.WriteAllText(marker, "An MlTutor index: generations (g-*/) and the file CURRENT naming the one in use.\n");
            return writeLock;
        }
        catch (Exception e)
        {
            writeLock.Dispose();
            if (IndexWriteException.IsOutOfSpace(e)) throw new IndexWriteException(this, "the disk is full", e);
            throw;
        }
    }

    /// <summary>
    /// A folder is written to only when it is new or empty, carries the marker, or holds an index built before the marker
    /// existed (a CURRENT naming a generation with its manifest). Anything else is somebody's folder.
    /// </summary>
    private void RequireOurs()
    {
        RequireNoFileAt(Directory);
        if (!System.IO.Directory.Exists(Directory) || File.Exists(Path.Combine(Directory, MarkerFile))) return;
        var foreign = System.IO.Directory.EnumerateFileSystemEntries(Directory).Select(Path.GetFileName)
            .Where(name => name is not (CurrentFile or CurrentFile + ".tmp" or LockFile) && !name!.StartsWith(ProbePrefix, StringComparison.Ordinal))
            .ToList();
        if (foreign.Count == 0 || IsIndexWithoutMarker()) return;
        var example = foreign.Order(StringComparer.Ordinal).First();
        throw new IndexFolderRefusedException(Directory,
            $"{Directory} is not an MlTutor index folder and is not empty (it holds '{example}'{(foreign.Count > 1 ? $" and {foreign.Count - 1} more" : "")}): "
            + "nothing was written there");
    }

    /// <summary>The index folder at <paramref name="directory"/>, refused at once when a file is there or above it: a
    /// folder under a file can never be created, and the system would only say later that it cannot be written.</summary>
    public static IndexFolder At(string directory)
    {
        RequireNoFileAt(directory);
        return new IndexFolder(directory);
    }

    private static void RequireNoFileAt(string directory)
    {
        if (File.Exists(directory))
            throw new IndexFolderRefusedException(directory, $"{directory} is a file, not a folder");
        for (var above = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(above); above = Path.GetDirectoryName(above))
            if (File.Exists(above))
                throw new IndexFolderRefusedException(directory, $"{directory}: {above} is a file, not a folder");
    }

    private bool IsIndexWithoutMarker()
    {
        try
        {
            return CurrentGeneration is { } generation && File.Exists(Path.Combine(generation, IndexManifest.FileName));
        }
        catch (Exception e) when (e is IndexCorruptException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether a new file can be created in the folder: not in a read-only copy or mount, or without permission.</summary>
    private bool CanCreateFiles()
    {
        try
        {
            using var probe = new FileStream(Path.Combine(Directory, $"{ProbePrefix}{Environment.ProcessId}"), FileMode.Create,
                FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A new, empty generation folder (not yet current), marked as ours before anything else is written in it.</summary>
    public string CreateGeneration()
    {
        var name = $"g-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Environment.ProcessId}";
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, GenerationMarkerFile), "");
        return path;
    }

    /// <summary>Makes <paramref name="generation"/> current atomically, then removes every other generation.</summary>
    public void Publish(string generation)
    {
        var name = Path.GetFileName(generation);
        AtomicFile.WriteAllText(Path.Combine(Directory, CurrentFile), name + "\n");
        RemoveGenerationsExcept(name);
    }

    /// <summary>
    /// Deletes our generation folders other than <paramref name="keep"/>: old ones, and ones a crash left behind. A folder is
    /// ours only by its name's exact pattern and a marker or manifest inside it, or by its name alone when it is empty (a
    /// build killed between creating it and marking it, or at the end of deleting it); any other folder here is left
    /// alone. A generation that a reader holds (see <see cref="Lease"/>), in this process or another, is kept for a later
    /// build.
    /// </summary>
    public void RemoveGenerationsExcept(string? keep)
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var dir in System.IO.Directory.EnumerateDirectories(Directory, "g-*"))
        {
            var name = Path.GetFileName(dir);
            if (name == keep) continue;
            try
            {
                if (IsEmptyGeneration(dir))
                    System.IO.Directory.Delete(dir, recursive: false);
                else if (IsGeneration(dir))
                {
                    using var unread = LockAgainstReaders(dir);
                    DeleteGeneration(dir);
                }
            }
            catch (IOException) { /* a reader holds it; the next build retries */ }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Deletes a generation folder so that, killed at any step, it is left incomplete but ours: marked (a generation from
    /// before markers gets one), its manifest deleted first so that no reader takes what is left for complete, its marker
    /// last, then the empty folder. Deleted in listing order, a build killed midway could leave a folder with neither,
    /// which no later build would know for its own.
    /// </summary>
    internal static void DeleteGeneration(string dir)
    {
        var marker = Path.Combine(dir, GenerationMarkerFile);
        if (!File.Exists(marker)) File.WriteAllText(marker, "");
        File.Delete(Path.Combine(dir, IndexManifest.FileName));
        foreach (var entry in new DirectoryInfo(dir).GetFileSystemInfos())
        {
            if (entry.Name == GenerationMarkerFile) continue;
            if (entry is DirectoryInfo { LinkTarget: null } folder) folder.Delete(recursive: true);
            else entry.Delete();
        }
        File.Delete(marker);
        System.IO.Directory.Delete(dir, recursive: false);
    }

    /// <summary>
    /// Holds <paramref name="generation"/> for reading: while the lease is held, no build removes it. Null when the
    /// generation is gone or being removed (a build published another just now): read CURRENT again.
    /// </summary>
    public static IDisposable? Lease(string generation)
    {
        // A shared lock on the manifest (FileShare without None is flock's LOCK_SH on Unix), which needs no write access,
        // so a read-only copy of an index is read the same way.
        try
        {
            return new FileStream(Path.Combine(generation, IndexManifest.FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
    }

    /// <summary>An exclusive lock on a generation's manifest, which fails while any reader holds a <see cref="Lease"/>;
    /// nothing to lock in a generation a crash left before its manifest, which no reader can have opened.</summary>
    private static FileStream? LockAgainstReaders(string generation)
    {
        var manifest = Path.Combine(generation, IndexManifest.FileName);
        return File.Exists(manifest) ? new FileStream(manifest, FileMode.Open, FileAccess.Read, FileShare.None) : null;
    }

    /// <summary>The newest of our generations that is complete (has its manifest), or null: what a damaged CURRENT should
    /// have named, since a generation is published right after its manifest is written.</summary>
    public string? NewestCompleteGeneration() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateDirectories(Directory, "g-*")
                .Where(d => IsGenerationName(Path.GetFileName(d)) && File.Exists(Path.Combine(d, IndexManifest.FileName)))
                .MaxBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            : null;

    /// <summary>Whether a generation is published (CURRENT names one that exists).</summary>
    public bool HasPublishedGeneration
    {
        get
        {
            try { return CurrentGeneration is not null; }
            catch (IndexCorruptException) { return false; }
        }
    }

    private static bool IsGeneration(string dir) =>
        IsGenerationFolder(dir) && (File.Exists(Path.Combine(dir, GenerationMarkerFile)) || File.Exists(Path.Combine(dir, IndexManifest.FileName)));

    private static bool IsEmptyGeneration(string dir) => IsGenerationFolder(dir) && !System.IO.Directory.EnumerateFileSystemEntries(dir).Any();

    /// <summary>A real folder (no link) with a generation's name.</summary>
    private static bool IsGenerationFolder(string dir) => IsGenerationName(Path.GetFileName(dir)) && new DirectoryInfo(dir).LinkTarget is null;

    /// <summary>The names <see cref="CreateGeneration"/> gives: g-, a UTC time to the millisecond, a process id.</summary>
    private static bool IsGenerationName(string name) =>
        name.Length > 20 && name.StartsWith("g-", StringComparison.Ordinal) && name[19] == '-'
        && name.AsSpan(2, 17).IndexOfAnyExceptInRange('0', '9') < 0 && name.AsSpan(20).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The absolute path with symbolic links resolved as far as the path exists, so that two names of one folder compare equal.</summary>
    private static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var missing = new Stack<string>();
        var existing = full;
        while (!System.IO.Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }
        var resolved = ResolveLinks(existing);
        while (missing.Count > 0) resolved = Path.Combine(resolved, missing.Pop());
        return Path.TrimEndingDirectorySeparator(resolved);
    }

    /// <summary>An existing folder's path with every link in it resolved, from the root down.</summary>
    private static string ResolveLinks(string path)
    {
        if (Path.GetDirectoryName(path) is not { } parent) return path;
        var here = Path.Combine(ResolveLinks(parent), Path.GetFileName(path));
        var target = new DirectoryInfo(here).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? here : ResolveLinks(Path.TrimEndingDirectorySeparator(target.FullName));
    }
}

/// <summary>Another process holds the index's writer lock.</summary>
/// <param name="KeptIndex">Whether a complete index is published there already, which questions can be answered from.</param>
public sealed class IndexBusyException(string message, bool keptIndex) : TutorException(message, Remedy.WaitForOtherProcess)
{
    public bool KeptIndex { get; } = keptIndex;
}

/// <summary>A folder that MlTutor will not use as an index: one that is the user's (not empty, not an index) or lies
/// inside the notes.</summary>
public sealed class IndexFolderRefusedException(string directory, string message) : TutorException(message, Remedy.ChooseIndexFolder)
{
    public string Directory { get; } = directory;
}

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
public sealed class IndexReadOnlyException : TutorException
{
    /// <param name="cause">Why the folder cannot be written, as the system said it.</param>
    /// <param name="changes">What changed since the index was built, in a few words, when it is <see cref="IndexFreshness.OutOfDate"/>.</param>
    public IndexReadOnlyException(string directory, string cause, IndexFreshness freshness, string? changes, Exception? inner = null)
        : base(Describe(directory, cause, freshness, changes), Remedy.ChooseIndexFolder, inner)
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
            ? $"copy {directory} to a writable folder and use that copy (only what changed is embedded again), or make {directory} writable"
            : $"use a writable folder, or make {directory} writable";

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
