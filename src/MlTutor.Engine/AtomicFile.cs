using System.Text;

namespace MlTutor;

/// <summary>Small files written whole or not at all, so that a crash or a full disk never leaves half of one.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to a temporary file beside <paramref name="path"/>, flushes it to disk and
    /// renames it over the target; on failure the old file is left as it was and the temporary one removed.</summary>
    public static void WriteAllText(string path, string text)
    {
        var tmp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
