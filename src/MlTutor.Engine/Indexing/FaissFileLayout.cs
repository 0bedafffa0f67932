using System.Runtime.InteropServices;
using System.Buffers.Binary;

namespace MlTutor.Indexing;

/// <summary>
/// The exact bytes of a file <see cref="FaissIndex.Save"/> writes: FAISS 1.7.3's IndexIDMap2 over an IndexFlatIP,
/// little-endian, with nothing but sizes before the vectors:
/// <code>
///   offset  0  "IxM2"  header (33 bytes)            the ID map
///   offset 37  "IxFI"  header (33 bytes)            the flat inner-product storage
///   offset 74  u64 n·d  float32[n·d]                the vectors
///   then       u64 n    int64[n]                    the ids
///   header = i32 d, i64 ntotal, i64 1&lt;&lt;20, i64 1&lt;&lt;20, u8 is_trained, i32 metric (0: inner product)
/// </code>
/// So a file of n vectors of d dimensions is exactly 90 + n·(4d + 8) bytes. Checking the sizes and that length reads
/// about a hundred bytes, where loading the file reads and copies every vector (over 150 MB at 10,000 chunks with their
/// line windows), and it finds the damage loading finds: a truncated or extended file, another count or dimension, a
/// file that is not such an index. Like loading, it cannot tell overwritten vectors from real ones; unlike loading, it
/// does not read the ids, so a repeated id (left by a write nothing here makes) is found only when the index is opened.
/// The shim checks the same layout before FAISS reads a file (validate_layout in faiss_shim.cpp).
/// </summary>
public static class FaissFileLayout
{
    private const int HeaderBytes = 4 + 8 + 8 + 8 + 1 + 4;
    private const int MetricInHeader = 4 + 8 + 8 + 8 + 1;
    private const int MapHeaderOffset = 4;
    private const int StorageTagOffset = MapHeaderOffset + HeaderBytes;
    private const int StorageHeaderOffset = StorageTagOffset + 4;
    private const int FloatCountOffset = StorageHeaderOffset + HeaderBytes;
    private const int VectorsOffset = FloatCountOffset + 8;
    private const int InnerProductMetric = 0;

    /// <summary>The length of a file holding <paramref name="count"/> vectors of <paramref name="dimension"/> floats.</summary>
    public static long FileLength(long count, int dimension) => VectorsOffset + 8 + count * (4L * dimension + 8);

    /// <summary>How many vectors of <paramref name="dimension"/> floats a file of <paramref name="length"/> bytes holds, as
    /// <see cref="FileLength"/> lays them out.</summary>
    public static long CountOf(long length, int dimension) => Math.Max(0, (length - VectorsOffset - 8) / (4L * dimension + 8));

    /// <summary>
    /// What is wrong with the file at <paramref name="path"/>, in a few words naming it, or null when it is a complete
    /// index of <paramref name="expectedCount"/> vectors of <paramref name="dimension"/> floats. The vectors themselves
    /// are not read.
    /// </summary>
    public static string? FindDamage(string path, long expectedCount, int dimension)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var head = new byte[VectorsOffset];
            if (file.Length < head.Length || file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
                return $"{path} is {file.Length} bytes, too short for a FAISS index (truncated)";
            if (!head.AsSpan(0, 4).SequenceEqual("IxM2"u8) || !head.AsSpan(StorageTagOffset, 4).SequenceEqual("IxFI"u8))
                return $"{path} is not a FAISS ID-mapped inner-product flat index (its tags are not IxM2 and IxFI)";
            var map = Header.Read(head.AsSpan(MapHeaderOffset));
            var storage = Header.Read(head.AsSpan(StorageHeaderOffset));
            if (map != storage)
                return $"{path} has a corrupt header: the index says {map}, its storage {storage}";
            if (map.Metric != InnerProductMetric)
                return $"{path} is not an inner-product index (metric {map.Metric})";
            if (map.Dimension != dimension || map.Count != expectedCount)
                return $"{path} holds {map.Count} vectors of {map.Dimension} dimensions, not {expectedCount} of {dimension}";
            // Each vector takes more than 4·d bytes: a count beyond that is corrupt, and the sizes below cannot overflow.
            if (map.Dimension <= 0 || map.Count < 0 || map.Count > file.Length / (4L * map.Dimension + 8))
                return $"{path} has a corrupt header: {map} in a file of {file.Length} bytes";
            var expectedLength = FileLength(map.Count, map.Dimension);
            // The float count is a size FAISS trusts when it reads; it must agree with the header's count.
            if (BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(FloatCountOffset)) != (ulong)(map.Count * map.Dimension)
                || file.Length != expectedLength)
                return $"{path} is {file.Length} bytes where {map.Count} vectors of {map.Dimension} dimensions take {expectedLength} "
                    + $"({(file.Length < expectedLength ? "truncated" : "extra or corrupt bytes")})";
            // The id count after the vectors: a file whose sizes all agree yet was overwritten at its end still shows here.
            var idCount = new byte[8];
            file.Position = VectorsOffset + 4L * map.Count * map.Dimension;
            file.ReadExactly(idCount);
            return BinaryPrimitives.ReadInt64LittleEndian(idCount) == map.Count
                ? null
                : $"{path} has a corrupt id list ({BinaryPrimitives.ReadInt64LittleEndian(idCount)} ids for {map.Count} vectors)";
        }
        catch (FileNotFoundException)
        {
            return $"{path} is missing";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read ({e.Message})";
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/> with ids 0, 1, … as <see cref="FaissIndex.Save"/> would, byte for byte, and makes the
    /// file durable. The index builder writes its files so because going through FAISS copies every vector twice (into a
    /// block, then into the index) before writing it: the larger part of writing a generation of long notes.
    /// </summary>
    public static void Write(string path, IReadOnlyList<float[]> rows, int dimension)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        Write(file, rows, dimension);
        file.Flush(flushToDisk: true);
    }

    /// <summary>As <see cref="Write(string, IReadOnlyList{float[]}, int)"/>, into <paramref name="file"/>, which the caller
    /// makes durable.</summary>
    public static void Write(Stream file, IReadOnlyList<float[]> rows, int dimension) =>
        WriteSpliced(file, previous: null, [VectorRun.Of(rows)], dimension);

    /// <summary>
    /// Writes a file as <see cref="Write(Stream, IReadOnlyList{float[]}, int)"/> does from runs of rows in order: runs of the
    /// file at <paramref name="previous"/> (written so, its row i being id i), copied as bytes, and new vectors; the caller
    /// makes it durable. An update of the index copies the rows of the notes it keeps rather than reading them as vectors
    /// and writing them back.
    /// </summary>
    /// <param name="previous">The file copied runs come from; null when every run is new.</param>
    public static void WriteSpliced(Stream file, string? previous, IReadOnlyList<VectorRun> runs, int dimension)
    {
        var count = runs.Sum(r => r.Count);
        using var source = previous is null ? null : new FileStream(previous, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        WriteHead(file, dimension, count);
        var buffer = new byte[1 << 20];
        var rowBytes = 4L * dimension;
        foreach (var run in runs)
        {
            if (run.New is { } rows)
            {
                foreach (var row in rows)
                {
                    if (row.Length != dimension) throw new ArgumentException($"a vector of {row.Length} dimensions in an index of {dimension}", nameof(runs));
                    file.Write(MemoryMarshal.AsBytes(row.AsSpan()));
                }
                continue;
            }
            if (source is null) throw new ArgumentException("a run copied from no previous file", nameof(runs));
            source.Position = VectorsOffset + run.First * rowBytes;
            for (var left = run.Count * rowBytes; left > 0;)
            {
                var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0) throw new EndOfStreamException($"{previous} ends before row {run.First + run.Count}");
                file.Write(buffer, 0, read);
                left -= read;
            }
        }
        WriteIds(file, count);
    }

    /// <summary>A run of consecutive rows of a file being written: <see cref="Count"/> rows copied from the previous file
    /// from row <see cref="First"/>, or the vectors <see cref="New"/>.</summary>
    public sealed record VectorRun(long First, long Count, IReadOnlyList<float[]>? New)
    {
        public static VectorRun Copied(long first, long count) => new(first, count, null);
        public static VectorRun Of(IReadOnlyList<float[]> rows) => new(0, rows.Count, rows);
    }

    private static void WriteHead(Stream file, int dimension, long count)
    {
        Span<byte> head = stackalloc byte[VectorsOffset];
        "IxM2"u8.CopyTo(head);
        Header.Write(head[MapHeaderOffset..], dimension, count);
        "IxFI"u8.CopyTo(head[StorageTagOffset..]);
        Header.Write(head[StorageHeaderOffset..], dimension, count);
        BinaryPrimitives.WriteUInt64LittleEndian(head[FloatCountOffset..], (ulong)count * (ulong)dimension);
        file.Write(head);
    }

    /// <summary>The id count and the ids 0 … count − 1.</summary>
    private static void WriteIds(Stream file, long count)
    {
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, count);
        file.Write(number);
        for (long id = 0; id < count; id++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, id);
            file.Write(number);
        }
    }

    /// <summary>
    /// The vectors of a complete file (see <see cref="FindDamage"/>) of <paramref name="count"/> vectors whose ids are
    /// 0 … count − 1 in order, as the index builder writes them, the vector of id i at i: read straight from the file, where
    /// loading it through FAISS copies them twice more. Null when the file is damaged or holds its vectors in another order.
    /// </summary>
    public static float[][]? ReadInIdOrder(string path, long count, int dimension)
    {
        if (FindDamage(path, count, dimension) is not null) return null;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        var number = new byte[8];
        file.Position = VectorsOffset + 4L * count * dimension + 8; // after the vectors and the id count (checked above)
        for (long i = 0; i < count; i++)
        {
            file.ReadExactly(number);
            if (BinaryPrimitives.ReadInt64LittleEndian(number) != i) return null;
        }
        file.Position = VectorsOffset;
        var rows = new float[count][];
        for (long i = 0; i < count; i++)
        {
            rows[i] = new float[dimension];
            file.ReadExactly(MemoryMarshal.AsBytes(rows[i].AsSpan()));
        }
        return rows;
    }

    /// <summary>The fields of a FAISS index header that say what the file holds.</summary>
    private readonly record struct Header(int Dimension, long Count, int Metric)
    {
        public static Header Read(ReadOnlySpan<byte> bytes) => new(
            BinaryPrimitives.ReadInt32LittleEndian(bytes),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[4..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[MetricInHeader..]));

        /// <summary>Writes the header FAISS writes for a trained index of <paramref name="count"/> vectors.</summary>
        public static void Write(Span<byte> bytes, int dimension, long count)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes, dimension);
            BinaryPrimitives.WriteInt64LittleEndian(bytes[4..], count);
            BinaryPrimitives.WriteInt64LittleEndian(bytes[12..], 1L << 20); // FAISS's dummy fields
            BinaryPrimitives.WriteInt64LittleEndian(bytes[20..], 1L << 20);
            bytes[28] = 1; // trained
            BinaryPrimitives.WriteInt32LittleEndian(bytes[MetricInHeader..], InnerProductMetric);
        }

        public override string ToString() => $"{Count} vectors of {Dimension} dimensions";
    }
}
