using System.Buffers;
using System.Security.Cryptography;

namespace MlTutor.Indexing;

/// <summary>
/// Checks that a generation's derived files (the FAISS vectors and line windows, the keyword index) can serve the chunks
/// its chunks.db holds. They are derived from chunks.db alone, so a damaged one is rebuilt from the stored vectors and
/// texts without embedding anything again. The check runs before every question, so the FAISS files are checked by
/// their layout (<see cref="FaissFileLayout"/>) rather than loaded: the question loads them once more anyway.
/// </summary>
public static class GenerationCheck
{
    /// <summary>
    /// The content hash of every file in <paramref name="generation"/> but its manifest, which records them: damage anywhere
    /// inside a file, even one that keeps its size, changes its hash.
    /// </summary>
    /// <param name="known">Checksums already taken of some of the files (paths relative to the generation), as they
    /// were written: those are not hashed again.</param>
    public static Dictionary<string, string> Checksums(string generation, IReadOnlyDictionary<string, string>? known = null)
    {
        var files = Directory.EnumerateFiles(generation, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != IndexManifest.FileName)
            .Select(path => (Path: path, Name: Path.GetRelativePath(generation, path).Replace(Path.DirectorySeparatorChar, '/')))
            .ToList();
        var toHash = files.Where(f => known is null || !known.ContainsKey(f.Name)).ToList();
        (string Name, string Hash) Take((string Path, string Name) f) => (f.Name, Hash(f.Path));
        var hashed = (WorthSideBySide([.. toHash.Select(f => f.Path)]) ? toHash.AsParallel().Select(Take).ToList() : toHash.Select(Take).ToList())
            .ToDictionary(h => h.Name, h => h.Hash, StringComparer.Ordinal);
        return files.ToDictionary(f => f.Name, f => known?.GetValueOrDefault(f.Name) ?? hashed[f.Name], StringComparer.Ordinal);
    }

    /// <summary>The checksum of one file, as <see cref="Checksums"/> records it.</summary>
    public static string Checksum(string path) => Hash(path);

    /// <summary>The checksum of a file whose SHA-256 is <paramref name="sha256"/>, taken as it was written.</summary>
    public static string ChecksumOfSha256(byte[] sha256) => HashKind + Convert.ToHexStringLower(sha256);

    /// <summary>Files are hashed on every core when there are enough bytes: for a small index, starting the threads (in a
    /// process that has just started) costs about what they would save.</summary>
    private static bool WorthSideBySide(IReadOnlyList<string> paths) =>
        paths.Count > 1 && paths.Sum(p => File.Exists(p) ? new FileInfo(p).Length : 0) >= SideBySideBytes;

    private const long SideBySideBytes = 64L << 20;

    /// <summary>Which of <paramref name="files"/> (paths relative to the generation) no longer match their recorded
    /// checksum, in a few words naming the file, or null when all match or none were recorded.</summary>
    /// <param name="sideBySide">Hash the files on every core when they are large enough (see <see cref="WorthSideBySide"/>):
    /// for the whole generation's files, not for the few small ones a question checks.</param>
    public static string? FindChanged(string generation, IReadOnlyDictionary<string, string>? checksums, IEnumerable<string>? files = null,
        bool sideBySide = false)
    {
        if (checksums is null) return null;
        var checkedFiles = (files ?? checksums.Keys).ToList();
        string? Check(string file)
        {
            // A checksum of another kind (none so far) cannot be compared: the file is taken as it is, not as damaged.
            if (!checksums.TryGetValue(file, out var expected) || !expected.StartsWith(HashKind, StringComparison.Ordinal)) return null;
            var path = Path.Combine(generation, file);
            if (!File.Exists(path)) return $"{path} is missing";
            return Hash(path) != expected ? $"{path} does not match its checksum: its contents were changed or damaged" : null;
        }
        // Side by side, the first file in order that fails is named, as one by one.
        return sideBySide && WorthSideBySide(checkedFiles.Select(f => Path.Combine(generation, f)).ToList())
            ? checkedFiles.AsParallel().AsOrdered().Select(Check).FirstOrDefault(damage => damage is not null)
            : checkedFiles.Select(Check).FirstOrDefault(damage => damage is not null);
    }

    /// <summary>Every derived file checked against its recorded checksum, and the FAISS files and keyword index against the
    /// chunks: what <c>index</c> runs, since it reads every byte of the generation (a question reads them when it opens
    /// it). chunks.db, which they are derived from, is checked by its reader first.</summary>
    public static string? FindDamageThoroughly(string generation, int chunks, int windows, int dimension, IReadOnlyDictionary<string, string>? checksums) =>
        FindChanged(generation, checksums, checksums?.Keys.Where(k => k != ChunkStore.FileName), sideBySide: true)
        ?? FindDamage(generation, chunks, windows, dimension, checksums);

    // SHA-256 runs in the platform's crypto library (with the CPU's SHA instructions where it has them): fast from the
    // first byte, where a managed hash starts slow in a short-lived process, before its code is optimised. The file is fed
    // to it in large blocks: SHA256.HashData(Stream) reads a few kilobytes at a time, and its calls then cost more than
    // the hashing (it took two thirds longer).
    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = ArrayPool<byte>.Shared.Rent(HashBlock);
        try
        {
            int read;
            while ((read = stream.Read(block, 0, HashBlock)) > 0)
                hash.AppendData(block, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
        return HashKind + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private const int HashBlock = 1 << 16;

    /// <summary>Each checksum names its kind, so that a later kind never reads an older index as damaged.</summary>
    private const string HashKind = "sha256:";

    /// <summary>What is damaged, in a few words naming the file, or null when every derived file is readable and complete.</summary>
    /// <param name="checksums">The manifest's checksums, or null for a generation that records none.</param>
    public static string? FindDamage(string generation, int chunks, int windows, int dimension, IReadOnlyDictionary<string, string>? checksums) =>
        FaissFileLayout.FindDamage(Path.Combine(generation, NotesIndex.VectorsFile), chunks, dimension)
        ?? FaissFileLayout.FindDamage(Path.Combine(generation, NotesIndex.WindowsFile), windows, dimension)
        ?? FindKeywordDamage(generation, chunks, checksums);

    /// <summary>
    /// The keyword index is small, so its files are checked against their checksums when the manifest records exactly the
    /// files it holds: they are then the files published with the chunks, byte for byte. Lucene's own check (opening
    /// the index and reading its every file) finds the same damage but loads enough code to cost a cold question tens of
    /// milliseconds, and the question opens the index again anyway; it serves a generation without checksums.
    /// </summary>
    private static string? FindKeywordDamage(string generation, int chunks, IReadOnlyDictionary<string, string>? checksums)
    {
        var folder = Path.Combine(generation, NotesIndex.KeywordFolder);
        var prefix = NotesIndex.KeywordFolder + "/";
        var recorded = checksums?.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList() ?? [];
        if (recorded.Count > 0 && recorded.All(c => c.Value.StartsWith(HashKind, StringComparison.Ordinal)) && Directory.Exists(folder))
        {
            var present = Directory.EnumerateFiles(folder).Select(f => prefix + Path.GetFileName(f)).Order(StringComparer.Ordinal);
            if (present.SequenceEqual(recorded.Select(c => c.Key).Order(StringComparer.Ordinal)))
                return FindChanged(generation, checksums, recorded.Select(c => c.Key));
        }
        return KeywordIndex.FindDamage(folder, chunks);
    }
}
