namespace MlTutor.Indexing;

/// <summary>
/// An exact inner-product index over float vectors keyed by caller-chosen 64-bit ids
/// (FAISS IndexIDMap2 over IndexFlatIP, through libmltutor_faiss). With unit-length vectors the
/// score is the cosine similarity.
/// Searches may run concurrently with each other; Add, Remove and Dispose need exclusive access.
/// </summary>
public sealed unsafe class FaissIndex : IDisposable
{
    private readonly FaissIndexHandle _handle;

    private FaissIndex(FaissIndexHandle handle)
    {
        _handle = handle;
        Dimension = FaissNativeMethods.Dimension(handle);
    }

    /// <summary>Length of every vector in the index.</summary>
    public int Dimension { get; }

    /// <summary>Number of vectors in the index.</summary>
    public long Count
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return FaissNativeMethods.Count(_handle);
        }
    }

    public static FaissIndex CreateInnerProduct(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (FaissNativeMethods.CreateInnerProduct(dimension, out var handle) != FaissNativeMethods.Ok)
        {
            var message = FaissNativeMethods.LastError();
            handle.Dispose();
            throw new FaissIndexException($"Cannot create a FAISS index of dimension {dimension}: {message}");
        }
        return new FaissIndex(handle);
    }

    /// <summary>Reads an index written by <see cref="Save"/>.</summary>
    /// <exception cref="FaissIndexException">The file is missing, truncated, corrupt or not such an index.</exception>
    public static FaissIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FaissIndexException($"FAISS index file not found: {fullPath}");
        if (FaissNativeMethods.Read(fullPath, out var handle) != FaissNativeMethods.Ok)
        {
            var message = FaissNativeMethods.LastError();
            handle.Dispose();
            throw new FaissIndexException($"Cannot load FAISS index {fullPath}: {message}");
        }
        return new FaissIndex(handle);
    }

    /// <summary>Adds vectors under new ids; <paramref name="vectors"/> is row-major, ids.Length rows of <see cref="Dimension"/>.</summary>
    /// <exception cref="ArgumentException">Wrong vector length, or an id repeated or already present.</exception>
    public void Add(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (vectors.Length != (long)ids.Length * Dimension)
            throw new ArgumentException(
                $"Expected {ids.Length} vectors of dimension {Dimension} ({(long)ids.Length * Dimension} floats), got {vectors.Length} floats.",
                nameof(vectors));
        if (ids.IsEmpty)
            return;
        fixed (long* idPtr = ids)
        fixed (float* vectorPtr = vectors)
        {
            if (FaissNativeMethods.Add(_handle, ids.Length, vectorPtr, idPtr) != FaissNativeMethods.Ok)
                throw new ArgumentException($"Cannot add to the FAISS index: {FaissNativeMethods.LastError()}", nameof(ids));
        }
    }

    /// <summary>The <paramref name="k"/> stored vectors with the highest inner product with <paramref name="query"/>.</summary>
    public FaissHits Search(ReadOnlySpan<float> query, int k) => Search(query, 1, k)[0];

    /// <summary>Searches <paramref name="queryCount"/> row-major queries at once; one result per query, in order.</summary>
    public FaissHits[] Search(ReadOnlySpan<float> queries, int queryCount, int k)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(queryCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        if (queries.Length != (long)queryCount * Dimension)
            throw new ArgumentException(
                $"Expected {queryCount} queries of dimension {Dimension} ({(long)queryCount * Dimension} floats), got {queries.Length} floats.",
                nameof(queries));

        // Asking for more neighbours than there are vectors only buys padding.
        var width = (int)Math.Min(k, Count);
        var results = new FaissHits[queryCount];
        if (width == 0 || queryCount == 0)
        {
            Array.Fill(results, FaissHits.Empty);
            return results;
        }

        var scores = new float[(long)queryCount * width];
        var ids = new long[scores.LongLength];
        fixed (float* queryPtr = queries)
        fixed (float* scorePtr = scores)
        fixed (long* idPtr = ids)
        {
            if (FaissNativeMethods.Search(_handle, queryCount, queryPtr, width, scorePtr, idPtr) != FaissNativeMethods.Ok)
                throw new FaissIndexException($"FAISS search failed: {FaissNativeMethods.LastError()}");
        }

        for (var q = 0; q < queryCount; q++)
        {
            var rowIds = ids.AsSpan(q * width, width);
            // FAISS pads missing results with id -1; they come last.
            var found = rowIds.IndexOf(-1L) is var pad and >= 0 ? pad : width;
            results[q] = new FaissHits(rowIds[..found].ToArray(), scores.AsSpan(q * width, found).ToArray());
        }
        return results;
    }

    /// <summary>Removes the vectors with these ids; returns how many were present.</summary>
    public long Remove(ReadOnlySpan<long> ids)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (ids.IsEmpty)
            return 0;
        fixed (long* idPtr = ids)
        {
            if (FaissNativeMethods.Remove(_handle, ids.Length, idPtr, out var removed) != FaissNativeMethods.Ok)
                throw new FaissIndexException($"Cannot remove ids from the FAISS index: {FaissNativeMethods.LastError()}");
            return removed;
        }
    }

    /// <summary>The ids of all stored vectors, in storage order.</summary>
    public long[] GetIds()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var ids = new long[Count];
        fixed (long* idPtr = ids)
        {
            if (FaissNativeMethods.GetIds(_handle, idPtr, ids.LongLength, out var written) != FaissNativeMethods.Ok)
                throw new FaissIndexException($"Cannot list the FAISS index ids: {FaissNativeMethods.LastError()}");
            return written == ids.LongLength ? ids : ids[..(int)written];
        }
    }

    /// <summary>The stored vectors in storage order (that of <see cref="GetIds"/>), row-major: <see cref="Count"/> rows of
    /// <see cref="Dimension"/>.</summary>
    public float[] GetVectors()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var vectors = new float[Count * Dimension];
        fixed (float* vectorPtr = vectors)
        {
            if (FaissNativeMethods.GetVectors(_handle, vectorPtr, vectors.LongLength, out var written) != FaissNativeMethods.Ok)
                throw new FaissIndexException($"Cannot read the FAISS index vectors: {FaissNativeMethods.LastError()}");
            return written == vectors.LongLength ? vectors : vectors[..(int)written];
        }
    }

    /// <summary>
    /// Writes the index to <paramref name="path"/> atomically: it is written and fsynced to a temporary
    /// file in the same folder, then renamed over the target, so a crash leaves the previous file intact.
    /// </summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        var tempPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (FaissNativeMethods.Write(_handle, tempPath) != FaissNativeMethods.Ok)
                throw new FaissIndexException($"Cannot save FAISS index {fullPath}: {FaissNativeMethods.LastError()}");
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaissIndexException($"Cannot save FAISS index {fullPath}: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(tempPath))
                File.Delete(tempPath);
        }
    }

    /// <summary>
    /// Sets the OpenMP threads FAISS uses in this process (≤ 0 keeps the current count); returns the count in effect.
    /// It is 1 until changed: with more, even a single-query search wakes a thread team, which on a small
    /// shared machine made searches several times slower. Raise it only for large batch searches.
    /// </summary>
    public static int SetThreadCount(int threads) => FaissNativeMethods.SetThreads(threads);

    public void Dispose() => _handle.Dispose();
}
