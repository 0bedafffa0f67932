using System.Security.Cryptography;
using System.Text;

namespace MlTutor.Ingestion;

/// <summary>
/// Finds and reads the note files under a corpus folder. Only a missing corpus folder is fatal; every problem with a
/// single file or sub-folder becomes an <see cref="IngestionWarning"/> and the rest of the notes are still read.
/// Folders and files whose name starts with '.' (.git, .obsidian, macOS's "._note.md") are not read: they belong to
/// tools, not to the notes.
/// </summary>
public sealed class CorpusReader
{
    /// <summary>Extensions read as notes (compared case-insensitively).</summary>
    public static IReadOnlyList<string> NoteExtensions { get; } = [".md", ".markdown", ".txt"];

    // A folder nesting this deep is almost certainly a link cycle the visited-set could not see (e.g. through
    // a symlinked ancestor); stopping here keeps the walk finite whatever the file system does.
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public CorpusReader(long maxFileBytes = 20_000_000)
    {
        if (maxFileBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxFileBytes), "must be positive");
        MaxFileBytes = maxFileBytes;
    }

    /// <summary>Files larger than this are skipped with a warning (they are exports or data, not notes).</summary>
    public long MaxFileBytes { get; }

    /// <summary>Lists the note files (relative path, size, modification time) without reading them, sorted ordinally by path.</summary>
    /// <exception cref="CorpusNotFoundException">The corpus folder does not exist.</exception>
    public IReadOnlyList<NoteFileInfo> List(string corpusDir, ICollection<IngestionWarning> warnings)
    {
        var root = RequireCorpus(corpusDir);
        var found = new List<NoteFileInfo>();
        Walk(root, root, 0, new HashSet<string>(StringComparer.Ordinal) { root }, found, warnings);
        found.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return found;
    }

    /// <summary>Reads every note file under <paramref name="corpusDir"/> (recursively), sorted ordinally by relative path.</summary>
    /// <exception cref="CorpusNotFoundException">The corpus folder does not exist.</exception>
    public IReadOnlyList<NoteFile> ReadAll(string corpusDir, ICollection<IngestionWarning> warnings)
    {
        var notes = new List<NoteFile>();
        foreach (var info in List(corpusDir, warnings))
            if (ReadFile(corpusDir, info.RelativePath, warnings) is { } note)
                notes.Add(note);
        return notes;
    }

    /// <summary>
    /// Reads one note file. Returns null (with a warning naming the file) when it is binary, empty, too large or unreadable;
    /// text that is not valid UTF-8 is decoded as Latin-1, also with a warning. A leading byte-order mark is removed.
    /// </summary>
    /// <exception cref="CorpusNotFoundException">The corpus folder does not exist.</exception>
    public NoteFile? ReadFile(string corpusDir, string relativePath, ICollection<IngestionWarning> warnings)
    {
        var root = RequireCorpus(corpusDir);
        var path = Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar));
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                warnings.Add(new IngestionWarning(relativePath, null, "file not found; skipped"));
                return null;
            }
            if (info.Length > MaxFileBytes)
            {
                warnings.Add(new IngestionWarning(relativePath, null,
                    $"file is {info.Length:N0} bytes, over the {MaxFileBytes:N0}-byte limit for a note; skipped"));
                return null;
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            warnings.Add(new IngestionWarning(relativePath, null, $"cannot be read ({e.Message}); skipped"));
            return null;
        }

        // The limit is checked again on the bytes actually read: the file may have grown since it was listed.
        if (bytes.LongLength > MaxFileBytes)
        {
            warnings.Add(new IngestionWarning(relativePath, null,
                $"file is {bytes.LongLength:N0} bytes, over the {MaxFileBytes:N0}-byte limit for a note; skipped"));
            return null;
        }

        var text = Decode(bytes, relativePath, warnings);
        if (text is null) return null;
        if (string.IsNullOrWhiteSpace(text))
        {
            warnings.Add(new IngestionWarning(relativePath, null, "file is empty; skipped"));
            return null;
        }
        return new NoteFile(relativePath, text, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static string? Decode(byte[] bytes, string relativePath, ICollection<IngestionWarning> warnings)
    {
        ReadOnlySpan<byte> span = bytes;
        // UTF-16 files are full of NUL bytes but are text; their byte-order mark tells them apart from binaries.
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return Encoding.Unicode.GetString(span[2..]);
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return Encoding.BigEndianUnicode.GetString(span[2..]);

        if (span.IndexOf((byte)0) >= 0)
        {
            warnings.Add(new IngestionWarning(relativePath, null, "looks binary (contains NUL bytes); skipped"));
            return null;
        }
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            span = span[3..];
        try
        {
            return StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? $" (first bad byte at offset {e.Index})" : "";
            // Latin-1 has one character per byte, so the byte offset is also the offset in the decoded text.
            var latin1 = Encoding.Latin1.GetString(span);
            int? line = e.Index >= 0 && e.Index <= latin1.Length ? NoteLines.LineAt(latin1, e.Index) : null;
            warnings.Add(new IngestionWarning(relativePath, line, $"not valid UTF-8{at}; read as Latin-1, some characters may be wrong"));
            return latin1;
        }
    }

    private static string RequireCorpus(string corpusDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(corpusDir);
        var root = Path.GetFullPath(corpusDir);
        if (!Directory.Exists(root)) throw new CorpusNotFoundException(corpusDir);
        return Path.TrimEndingDirectorySeparator(root);
    }

    private void Walk(string root, string dir, int depth, HashSet<string> visited, List<NoteFileInfo> found,
        ICollection<IngestionWarning> warnings)
    {
        var relDir = Relative(root, dir);
        if (depth > MaxDepth)
        {
            warnings.Add(new IngestionWarning(relDir, null, $"folder nested more than {MaxDepth} deep (a link cycle?); not read"));
            return;
        }

        List<FileSystemInfo> entries;
        try
        {
            entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            warnings.Add(new IngestionWarning(relDir, null, $"folder cannot be read ({e.Message}); skipped"));
            return;
        }

        foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            try
            {
                if (entry is DirectoryInfo sub)
                {
                    // Hidden folders (.git, .obsidian, .trash...) hold a tool's files, not the notes the user sees.
                    if (IsHidden(sub)) continue;
                    // A symlinked folder is followed once, by where it really points; a second visit (a loop, or two
                    // links to the same place) is skipped so the walk ends and no note is read twice.
                    var real = sub.LinkTarget is null
                        ? sub.FullName
                        : (sub.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? sub.FullName);
                    real = Path.TrimEndingDirectorySeparator(Path.GetFullPath(real));
                    if (!visited.Add(real))
                    {
                        warnings.Add(new IngestionWarning(Relative(root, sub.FullName), null,
                            "folder link points to a folder already read (a link loop?); not followed"));
                        continue;
                    }
                    Walk(root, sub.FullName, depth + 1, visited, found, warnings);
                }
                // Hidden files are a tool's too: "._note.md" from macOS copies, ".draft.md" swap files.
                else if (entry is FileInfo file && IsNote(file.Name) && !file.Name.StartsWith('.'))
                {
                    var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
                    if (target is null || !target.Exists)
                    {
                        warnings.Add(new IngestionWarning(Relative(root, file.FullName), null, "broken link; skipped"));
                        continue;
                    }
                    found.Add(new NoteFileInfo(Relative(root, file.FullName), target.Length, target.LastWriteTimeUtc));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                warnings.Add(new IngestionWarning(Relative(root, entry.FullName), null, $"cannot be read ({e.Message}); skipped"));
            }
        }
    }

    private static bool IsHidden(DirectoryInfo folder) => folder.Name.StartsWith('.');

    private static bool IsNote(string name)
    {
        foreach (var ext in NoteExtensions)
            if (name.EndsWith(ext, StringComparison.OrdinalIgnoreCase) && name.Length > ext.Length)
                return true;
        return false;
    }

    private static string Relative(string root, string path) =>
        Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
}
