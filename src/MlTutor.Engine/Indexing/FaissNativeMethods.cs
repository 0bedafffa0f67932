using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MlTutor.Indexing;

/// <summary>Owns one native index from libmltutor_faiss and frees it exactly once.</summary>
internal sealed class FaissIndexHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FaissIndexHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        FaissNativeMethods.Free(handle);
        return true;
    }
}

/// <summary>
/// P/Invoke surface of libmltutor_faiss.so (src/native/faiss_shim), which the build places beside the
/// engine assembly. Functions returning int give 0 on success and -1 on failure, with the message in
/// <see cref="LastError"/> for the calling thread.
/// </summary>
internal static unsafe partial class FaissNativeMethods
{
    private const string Library = "mltutor_faiss";
    public const int Ok = 0;

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_last_error")]
    private static partial nint LastErrorPointer();

    /// <summary>The native failure message for this thread (read right after the failing call).</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(LastErrorPointer()) is { Length: > 0 } message
        ? message
        : "unknown native FAISS error";

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_create_ip")]
    public static partial int CreateInnerProduct(int dimension, out FaissIndexHandle index);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_add")]
    public static partial int Add(FaissIndexHandle index, long n, float* vectors, long* ids);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_search")]
    public static partial int Search(FaissIndexHandle index, long queryCount, float* queries, long k, float* scores, long* ids);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_remove")]
    public static partial int Remove(FaissIndexHandle index, long n, long* ids, out long removed);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_count")]
    public static partial long Count(FaissIndexHandle index);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_dimension")]
    public static partial int Dimension(FaissIndexHandle index);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_get_ids")]
    public static partial int GetIds(FaissIndexHandle index, long* ids, long capacity, out long written);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_get_vectors")]
    public static partial int GetVectors(FaissIndexHandle index, float* vectors, long capacity, out long written);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_write", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Write(FaissIndexHandle index, string path);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_read", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Read(string path, out FaissIndexHandle index);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_free")]
    public static partial void Free(nint index);

    [LibraryImport(Library, EntryPoint = "mltutor_faiss_set_threads")]
    public static partial int SetThreads(int threads);
}
