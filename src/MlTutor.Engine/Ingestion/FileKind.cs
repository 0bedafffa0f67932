using System.Runtime.InteropServices;

namespace MlTutor.Ingestion;

/// <summary>What a path is on disk, following links. .NET tells files from folders but not a regular file from a FIFO, a
/// device or a socket, which look like files of length 0 and can block a read forever (a FIFO) or never end (/dev/zero).</summary>
public enum FileKind
{
    Regular,
    Folder,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Missing,
    /// <summary>The system could not say (not Linux): treated as a regular file, as .NET itself does.</summary>
    Unknown,
}

public static partial class FileKinds
{
    /// <summary>The kind of <paramref name="path"/>, after following links.</summary>
    public static FileKind Of(string path)
    {
        try
        {
            return Statx(path);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return FileKind.Unknown;
        }
    }

    /// <summary>Words for a warning: "a FIFO (named pipe)", "a character device"…</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Folder => "a folder",
        FileKind.Missing => "missing",
        _ => "a file",
    };

    // statx(2) is used rather than stat(2) because its buffer has one layout on every Linux architecture.
    private const int AtCurrentFolder = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;

    private static unsafe FileKind Statx(string path)
    {
        var buffer = stackalloc byte[256];
        if (NativeStatx(AtCurrentFolder, path, 0, StatxType, buffer) != 0) return FileKind.Missing;
        var mode = *(ushort*)(buffer + ModeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Folder,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int NativeStatx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
