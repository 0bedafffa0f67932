namespace MlTutor.Tests;

/// <summary>What the calling thread has read, for tests that a step reads only what it must.</summary>
public static class ThreadIo
{
    /// <summary>Bytes this thread has read through system calls so far (Linux's per-thread I/O accounting).</summary>
    public static long BytesRead =>
        long.Parse(File.ReadLines("/proc/thread-self/io").First(l => l.StartsWith("rchar:"))["rchar:".Length..]);
}
