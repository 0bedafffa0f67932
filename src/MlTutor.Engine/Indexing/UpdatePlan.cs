using MlTutor.Ingestion;
using static MlTutor.Indexing.FaissFileLayout;

namespace MlTutor.Indexing;

/// <summary>The texts a generation embeds: its chunks' texts, then their line windows', each window with the index of its
/// chunk among the chunks.</summary>
internal sealed record EmbeddedTexts(List<string> All, List<string> Windows, List<int> WindowChunks)
{
    public static EmbeddedTexts Of(IReadOnlyList<Chunk> chunks)
    {
        var windowTexts = new List<string>();
        var windowChunks = new List<int>();
        for (var i = 0; i < chunks.Count; i++)
            foreach (var text in LineWindows.Of(chunks[i].Text))
            {
                windowTexts.Add(text);
                windowChunks.Add(i);
            }
        return new EmbeddedTexts(chunks.Select(c => c.EmbeddedText).Concat(windowTexts).ToList(), windowTexts, windowChunks);
    }
}

/// <summary>
/// Where every row of a generation written as an update of the last one comes from. The rows follow the notes' order, as
/// in a full build: a kept note's chunks and windows are a run of the last generation's rows, moved as a whole; a note
/// chunked anew brings new rows (<see cref="NewChunks"/>, their windows in <see cref="NewTexts"/>).
/// </summary>
internal sealed class UpdatePlan
{
    /// <summary>Where a note's rows go: the kept note's old rows (<see cref="Kept"/>), or the index of its first chunk
    /// among <see cref="NewChunks"/> and of its first window among the new windows.</summary>
    private sealed record Placed(long FirstChunk, long FirstWindow, int Chunks, int Windows, NoteRows? Kept, int FirstNewChunk, int FirstNewWindow);

    private readonly List<Placed> _placed = [];

    private UpdatePlan(IReadOnlyList<NoteRows> leaving, List<Chunk> newChunks, EmbeddedTexts newTexts)
    {
        Leaving = leaving;
        NewChunks = newChunks;
        NewTexts = newTexts;
    }

    /// <summary>The last generation's notes whose rows go: changed or removed. Their vectors are reused where the new notes
    /// repeat their texts.</summary>
    public IReadOnlyList<NoteRows> Leaving { get; }

    /// <summary>The chunks of the notes chunked anew, in note order.</summary>
    public List<Chunk> NewChunks { get; }

    /// <summary>The texts those chunks and their windows embed.</summary>
    public EmbeddedTexts NewTexts { get; }

    /// <summary>The notes of <paramref name="layout"/> that are not among <paramref name="kept"/>: the rows that go.</summary>
    public static List<NoteRows> LeavingOf(IReadOnlyList<NoteRows> layout, IEnumerable<string> kept)
    {
        var keptNotes = kept.ToHashSet(StringComparer.Ordinal);
        return [.. layout.Where(r => !keptNotes.Contains(r.File))];
    }

    /// <summary>How many chunks the new generation holds.</summary>
    public int Chunks => _placed.Sum(p => p.Chunks);

    /// <param name="layout">Where every note of the last generation lies.</param>
    /// <param name="notes">The new generation's notes in order.</param>
    public static UpdatePlan Of(IReadOnlyList<NoteRows> layout, IReadOnlyList<NoteInBuild> notes)
    {
        var newChunks = notes.SelectMany(n => n.Chunks ?? []).ToList();
        var newTexts = EmbeddedTexts.Of(newChunks);
        var plan = new UpdatePlan(LeavingOf(layout, notes.Where(n => n.Kept is not null).Select(n => n.Kept!.File)), newChunks, newTexts);
        long chunkRow = 0, windowRow = 0;
        int newChunk = 0, newWindow = 0;
        foreach (var note in notes)
        {
            int chunks, windows;
            if (note.Kept is { } rows)
                (chunks, windows) = (rows.Chunks, rows.Windows);
            else
            {
                chunks = note.Chunks!.Count;
                windows = newTexts.WindowChunks.Skip(newWindow).TakeWhile(c => c < newChunk + chunks).Count();
            }
            plan._placed.Add(new Placed(chunkRow, windowRow, chunks, windows, note.Kept, newChunk, newWindow));
            chunkRow += chunks;
            windowRow += windows;
            if (note.Kept is null)
            {
                newChunk += chunks;
                newWindow += windows;
            }
        }
        return plan;
    }

    /// <summary>What turns a copy of the last generation's store into the new one's. A row of a note chunked anew that
    /// comes out exactly as the row the last generation has at the same place (a chunk of an edited note away from the edit,
    /// whose lines did not move) is left as it is, rather than deleted and written again.</summary>
    /// <param name="chunkVectors">The vectors of <see cref="NewChunks"/>, and <paramref name="windowVectors"/> of their windows.</param>
    /// <param name="replaced">The last generation's rows of the <see cref="Leaving"/> notes.</param>
    public StorePatch StorePatch(float[][] chunkVectors, float[][] windowVectors, IReadOnlyList<IndexedFile> files, ReusableRows replaced)
    {
        var oldChunks = replaced.Chunks.ToDictionary(c => c.Row);
        var oldWindows = replaced.Windows.ToDictionary(w => w.Row);
        var newChunks = new List<StoredChunk>();
        var newWindows = new List<StoredWindow>();
        var unchangedChunkRows = new HashSet<long>();
        var unchangedWindowRows = new HashSet<long>();
        foreach (var p in _placed.Where(p => p.Kept is null))
        {
            for (var i = 0; i < p.Chunks; i++)
            {
                var row = new StoredChunk(p.FirstChunk + i, NewChunks[p.FirstNewChunk + i], chunkVectors[p.FirstNewChunk + i]);
                if (oldChunks.TryGetValue(row.Row, out var old) && Same(old, row)) unchangedChunkRows.Add(row.Row);
                else newChunks.Add(row);
            }
            for (var j = 0; j < p.Windows; j++)
            {
                var w = p.FirstNewWindow + j;
                var row = new StoredWindow(p.FirstWindow + j, p.FirstChunk + NewTexts.WindowChunks[w] - p.FirstNewChunk, NewTexts.Windows[w], windowVectors[w]);
                if (oldWindows.TryGetValue(row.Row, out var old) && Same(old, row)) unchangedWindowRows.Add(row.Row);
                else newWindows.Add(row);
            }
        }
        var moved = _placed.Where(p => p.Kept is { } k && (k.FirstChunk != p.FirstChunk || k.FirstWindow != p.FirstWindow)).ToList();
        return new StorePatch(
            [.. Leaving.SelectMany(r => RunsWithout(r.FirstChunk, r.Chunks, unchangedChunkRows))],
            [.. Leaving.SelectMany(r => RunsWithout(r.FirstWindow, r.Windows, unchangedWindowRows))],
            [.. moved.Where(p => p.Chunks > 0).Select(p => new MovedRows(p.Kept!.FirstChunk, p.Chunks, p.FirstChunk - p.Kept.FirstChunk))],
            [.. moved.Where(p => p.Windows > 0).Select(p => new MovedWindowRows(p.Kept!.FirstWindow, p.Windows, p.FirstWindow - p.Kept.FirstWindow, p.FirstChunk - p.Kept.FirstChunk))],
            newChunks, newWindows, files);
    }

    /// <summary>The rows <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 but those in
    /// <paramref name="left"/>, as runs of consecutive rows.</summary>
    private static IEnumerable<(long First, int Count)> RunsWithout(long first, int count, HashSet<long> left)
    {
        var start = first;
        for (var row = first; row <= first + count; row++)
        {
            if (row < first + count && !left.Contains(row)) continue;
            if (row > start) yield return (start, (int)(row - start));
            start = row + 1;
        }
    }

    private static bool Same(StoredChunk a, StoredChunk b) =>
        a.Chunk with { Structure = null } == b.Chunk with { Structure = null }
        && StructureText(a.Chunk) == StructureText(b.Chunk)
        && a.Vector.AsSpan().SequenceEqual(b.Vector);

    private static string? StructureText(Chunk chunk) => chunk.Structure is null ? null : ChunkStructureJson.Write(chunk.Structure);

    private static bool Same(StoredWindow a, StoredWindow b) =>
        a.ChunkRow == b.ChunkRow && a.Text == b.Text && a.Vector.AsSpan().SequenceEqual(b.Vector);

    /// <summary>The new chunks' FAISS file as runs: the kept notes' rows copied from the last one, the new vectors between.</summary>
    public List<VectorRun> ChunkRuns(float[][] chunkVectors) =>
        [.. _placed.Where(p => p.Chunks > 0).Select(p => p.Kept is { } k
            ? VectorRun.Copied(k.FirstChunk, p.Chunks)
            : VectorRun.Of(chunkVectors[p.FirstNewChunk..(p.FirstNewChunk + p.Chunks)]))];

    /// <summary>The windows' FAISS file as runs, as <see cref="ChunkRuns"/>.</summary>
    public List<VectorRun> WindowRuns(float[][] windowVectors) =>
        [.. _placed.Where(p => p.Windows > 0).Select(p => p.Kept is { } k
            ? VectorRun.Copied(k.FirstWindow, p.Windows)
            : VectorRun.Of(windowVectors[p.FirstNewWindow..(p.FirstNewWindow + p.Windows)]))];
}
