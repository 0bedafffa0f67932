using MlTutor.Indexing;

namespace MlTutor.Tutoring;

/// <summary>
/// The generation of the notes' index that questions read, shared by every thread of a tutor. A question reads through
/// a lease; an update that publishes a new generation retires the one in use, which is closed when its last reader
/// leaves, so that questions in flight finish on the generation they began with and the next ones read the new one.
/// A generation published by another process (an <c>index</c> or <c>watch</c> beside a chat) is followed the same way.
/// </summary>
/// <param name="published">The name of the generation the folder's CURRENT names now, or null when that cannot be read
/// (the generation in use then stays in use).</param>
internal sealed class LiveIndex(Func<NotesIndex> open, Func<string?> published) : IDisposable
{
    private readonly object _gate = new();
    private SharedGeneration? _current;
    private bool _disposed;

    /// <summary>A lease on the generation in use, opening the published one first when none is.</summary>
    public IndexLease Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // One small file read per question: cheap next to the question, and another process may have published since.
            if (_current is not null && published() is { } name && name != Path.GetFileName(_current.Index.Generation)) RetireCurrent();
            // Opening under the lock: the threads that would wait here need that same generation.
            _current ??= new SharedGeneration(open());
            _current.Readers++;
            return new IndexLease(this, _current);
        }
    }

    /// <summary>Stops handing out the generation in use: the next lease opens the newest published one.</summary>
    public void Retire()
    {
        lock (_gate) RetireCurrent();
    }

    private void RetireCurrent()
    {
        if (_current is null) return;
        _current.Retired = true;
        if (_current.Readers == 0) _current.Index.Dispose();
        _current = null;
    }

    private void Release(SharedGeneration generation)
    {
        lock (_gate)
        {
            generation.Readers--;
            if (generation.Readers == 0 && generation.Retired) generation.Index.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            Retire();
        }
    }

    internal sealed class SharedGeneration(NotesIndex index)
    {
        public NotesIndex Index { get; } = index;
        public int Readers { get; set; }
        public bool Retired { get; set; }
    }

    /// <summary>One reader's hold on a generation; disposing it lets the generation close once retired.</summary>
    public sealed class IndexLease : IDisposable
    {
        private readonly LiveIndex _owner;
        private SharedGeneration? _generation;

        internal IndexLease(LiveIndex owner, SharedGeneration generation)
        {
            _owner = owner;
            _generation = generation;
        }

        public NotesIndex Index => (_generation ?? throw new ObjectDisposedException(nameof(IndexLease))).Index;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _generation, null) is { } generation) _owner.Release(generation);
        }
    }
}
