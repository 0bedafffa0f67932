using System.Runtime.InteropServices;
using Lucene.Net.Index;

namespace MlTutor.Indexing;

/// <summary>
/// Gives a new generation's keyword folder the files of the last generation's. A segment's files are never written again
/// once complete (Lucene writes new names and replaces only its commit files), so they are hard-linked: the two
/// generations share them without a copy, and sharing them is safe because nothing here writes a file in place. The
/// commit files are copied, since the writer replaces them; so is every file where the file system cannot link.
/// </summary>
internal static partial class SegmentFiles
{
    public static void Share(string previous, string directory)
    {
        foreach (var source in Directory.EnumerateFiles(previous))
        {
            var name = Path.GetFileName(source);
            if (name == IndexWriter.WRITE_LOCK_NAME) continue;
            var target = Path.Combine(directory, name);
            var isCommit = name.StartsWith(IndexFileNames.SEGMENTS, StringComparison.Ordinal);
            if (!isCommit && TryHardLink(source, target)) continue;
            File.Copy(source, target);
            // Lucene makes durable only the files it writes itself; a linked file is the last generation's, durable already.
            using var copy = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
            copy.Flush(flushToDisk: true);
        }
    }

    private static bool TryHardLink(string existing, string link)
    {
        try
        {
            return HardLink(existing, link) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not a POSIX system
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int HardLink(string existing, string link);
}
