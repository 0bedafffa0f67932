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
        byte[]? bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                warnings.Add(new IngestionWarning(relativePath, null, "file not found; skipped"));
                return null;
            }
            if (NotRegular(path) is { } kind)
            {
                warnings.Add(new IngestionWarning(relativePath, null, kind + "; skipped without opening it"));
                return null;
            }
            if (info.Length > MaxFileBytes)
            {
                warnings.Add(new IngestionWarning(relativePath, null,
                    $"file is {info.Length:N0} bytes, over the {MaxFileBytes:N0}-byte limit for a note; skipped"));
                return null;
            }
            bytes = ReadAtMost(path, MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            warnings.Add(new IngestionWarning(relativePath, null, $"cannot be read ({e.Message}); skipped"));
            return null;
        }

        // The limit holds for the bytes actually read, not the size the file claimed: it may have grown since it was
        // listed, or be one whose size says nothing (a link to a device, a file in /proc).
        if (bytes is null)
        {
            warnings.Add(new IngestionWarning(relativePath, null,
                $"file holds more than the {MaxFileBytes:N0}-byte limit for a note; skipped"));
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

    /// <summary>The file's bytes, or null when it holds more than <paramref name="limit"/>: never more than one byte past
    /// the limit is read, whatever size the file claims.</summary>
    private static byte[]? ReadAtMost(string path, long limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new byte[(int)Math.Min(limit + 1, Math.Max(stream.Length + 1, 4096))];
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (read > limit) return null;
                Array.Resize(ref buffer, (int)Math.Min(limit + 1, (long)buffer.Length * 2));
            }
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        if (read > limit) return null;
        Array.Resize(ref buffer, read);
        return buffer;
    }

    /// <summary>Why the file at <paramref name="path"/> is not read although its name is a note's: it is a FIFO, a device or
    /// a socket (which can block a read forever or never end), said as a warning; null for a regular file.</summary>
    private static string? NotRegular(string path)
    {
        var kind = FileKinds.Of(path);
        return kind is FileKind.Regular or FileKind.Unknown or FileKind.Missing ? null
            : $"is {FileKinds.Describe(kind)}, not a regular file";
    }

    /// <summary>
    /// Reads the note at <paramref name="path"/> (absolute, or relative to the notes folder) by the same rules as the index:
    /// a file inside the notes folder (links in it are followed, as the index follows them), with a note's extension, not
    /// hidden nor under a hidden folder, a regular file, and readable as text within the size limit. Anything else is
    /// refused with the reason, so that no command shows a file the index would not read.
    /// </summary>
    /// <exception cref="NotANoteException">The path is not such a note.</exception>
    public NoteFile ReadNote(string corpusDir, string path)
    {
        var root = RequireCorpus(corpusDir);
        var full = Path.GetFullPath(path, root);
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new NotANoteException($"{path} is outside the corpus folder {corpusDir}");
        var relative = Relative(root, full);
        if (Directory.Exists(full)) throw new NotANoteException($"{path} is a folder in the corpus folder {corpusDir}, not a note");
        if (!File.Exists(full)) throw new NotANoteException($"{path} is not in the corpus folder {corpusDir}");
        if (!IsNote(Path.GetFileName(full)))
            throw new NotANoteException($"{path} is not a note ({string.Join(", ", NoteExtensions)}), so nothing in it is indexed or cited");
        if (relative.Split('/').Any(part => part.StartsWith('.')))
            throw new NotANoteException($"{path} is hidden or under a hidden folder, which the index does not read, so nothing in it is cited");
        if ((UnprintableName(relative) ?? NotRegular(full)) is { } why)
            throw new NotANoteException($"{Printable(path)}: {why}; the index does not read it");
        var warnings = new List<IngestionWarning>();
        return ReadFile(corpusDir, relative, warnings) ?? throw new NotANoteException(
            $"{path}: {(warnings.Count > 0 ? warnings[^1].Message.Replace("; skipped", "") : "cannot be read")}; it is not a note the index reads, so nothing in it can be cited");
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
                    var relative = Relative(root, file.FullName);
                    var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
                    if (target is null || !target.Exists)
                        warnings.Add(new IngestionWarning(Printable(relative), null, "broken link; skipped"));
                    else if (UnprintableName(relative) is { } why)
                        warnings.Add(new IngestionWarning(Printable(relative), null, why + "; rename it to read it"));
                    else if (NotRegular(file.FullName) is { } kind)
                        warnings.Add(new IngestionWarning(relative, null, kind + "; skipped without opening it"));
                    else
                        found.Add(new NoteFileInfo(relative, target.Length, target.LastWriteTimeUtc));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                warnings.Add(new IngestionWarning(Relative(root, entry.FullName), null, $"cannot be read ({e.Message}); skipped"));
            }
        }
    }

    private static bool IsHidden(DirectoryInfo folder) => folder.Name.StartsWith('.');

    /// <summary>A path with a line break or another control character cannot be printed in a citation, nor typed back
    /// into <c>cite</c>: such a note is not read, with a warning that says how to fix it.</summary>
    private static string? UnprintableName(string relativePath) =>
        relativePath.Any(char.IsControl) ? "name holds a line break or another control character, so it cannot be cited" : null;

    /// <summary>The path with control characters shown as escapes (a line break as \n), for a warning on one line.</summary>
    private static string Printable(string relativePath) =>
        relativePath.Any(char.IsControl)
            ? string.Concat(relativePath.Select(c => c switch { '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ when char.IsControl(c) => $"\\u{(int)c:x4}", _ => c.ToString() }))
            : relativePath;

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
