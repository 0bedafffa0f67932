using System.Runtime.InteropServices;

namespace MlTutor.Embedding;

/// <summary>
/// Asks Linux to back a large, not yet touched array with huge pages (<c>madvise(MADV_HUGEPAGE)</c>), so that filling it
/// takes a fault per 2 MB instead of one per 4 KB. Reading the encoder's model (most of a cold question's loading) into
/// a fresh array was mostly page faults on a virtual machine. Where the call is not there or refused, nothing changes.
/// </summary>
internal static partial class HugePages
{
    private const int MadvHugePage = 14;
    private const long HugePageSize = 2 * 1024 * 1024;

    public static unsafe void Advise(byte[] pinned)
    {
        if (!OperatingSystem.IsLinux() || pinned.Length < 2 * HugePageSize) return;
        fixed (byte* start = pinned)
        {
            // Only whole huge pages inside the array: the advice must not reach memory the array does not own.
            var from = ((long)start + HugePageSize - 1) & ~(HugePageSize - 1);
            var to = ((long)start + pinned.Length) & ~(HugePageSize - 1);
            if (to <= from) return;
            try
            {
                _ = Madvise((nint)from, (nuint)(to - from), MadvHugePage);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
