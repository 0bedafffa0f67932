namespace MlTutor.Answering;

/// <summary>
/// Checks a model file before llama.cpp opens it: a missing, empty, truncated or foreign file must be one line saying what
/// is wrong, not a native crash. A GGUF file starts with the magic "GGUF" and a version; its header's counts must fit
/// in the file.
/// </summary>
public static class LocalModelFile
{
    /// <exception cref="AnswererException">The file cannot be a GGUF model, saying why.</exception>
    public static void Check(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new AnswererException("no local model is set: put a GGUF chat model's path in Answering:Local:ModelPath");
        if (!File.Exists(path))
            throw new AnswererException($"the local model {path} does not exist: set Answering:Local:ModelPath to a GGUF chat model");
        Span<byte> header = stackalloc byte[24];
        long length;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            length = stream.Length;
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                throw new AnswererException($"the local model {path} is too short to be a GGUF model ({length} bytes): download it again");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AnswererException($"the local model {path} cannot be read ({e.Message})", e);
        }
        if (header[0] != 'G' || header[1] != 'G' || header[2] != 'U' || header[3] != 'F')
            throw new AnswererException($"{path} is not a GGUF model (it does not start with \"GGUF\"): give a .gguf file in Answering:Local:ModelPath");
        var version = BitConverter.ToUInt32(header[4..8]);
        var tensors = BitConverter.ToUInt64(header[8..16]);
        if (version is < 2 or > 3)
            throw new AnswererException($"{path} is GGUF version {version}, which this llama.cpp does not read: use a GGUF v2 or v3 model");
        // Each tensor's data takes bytes; a file shorter than its tensor count could hold was cut short in a download.
        if (tensors == 0 || tensors > (ulong)length)
            throw new AnswererException($"the local model {path} is damaged or cut short (its header names {tensors} tensors in {length} bytes): download it again");
    }
}
