using MlTutor.Ingestion;

namespace MlTutor.Retrieval;

public sealed record PassageJoinerOptions
{
    /// <summary>Only candidates among this many best join (each must rank well on its own); 0 turns joining off.</summary>
    public int Depth { get; init; } = 10;

    /// <summary>Most chunks in one joined passage, which keeps a passage short enough to read and to answer from.</summary>
    public int MaxChunks { get; init; } = 2;

    public static PassageJoinerOptions Default { get; } = new();
}

/// <summary>
/// Joins neighbouring chunks that both rank near the top into one passage ("small to embed, larger to show"). A section
/// is often cut in two: its opening names the topic, the next chunk holds the detail asked for (the drawbacks, the
/// update rule). Each half then ranks on its own and they take two places, the detail often second. Joined, the passage
/// takes the better place, the reader gets the section whole, and the freed place goes to another source.
/// Chunks are neighbours when only empty lines separate them in the note, so a joined passage's text is still exactly
/// the note's lines <see cref="Chunk.StartLine"/>..<see cref="Chunk.EndLine"/>; a rule or heading between them keeps
/// them apart.
/// </summary>
public sealed class PassageJoiner
{
    private readonly PassageJoinerOptions _options;

    public PassageJoiner(PassageJoinerOptions? options = null)
    {
        _options = options ?? PassageJoinerOptions.Default;
        if (_options.Depth < 0)
            throw new ArgumentOutOfRangeException(nameof(options), _options.Depth, "Depth must be 0 or more.");
        if (_options.MaxChunks < 1)
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxChunks, "A passage holds at least 1 chunk.");
    }

    /// <summary>
    /// <paramref name="ranked"/> (best first) with each candidate among the first <see cref="PassageJoinerOptions.Depth"/>
    /// that neighbours a better-ranked passage joined into it. A joined passage keeps the place and score of its best
    /// chunk; its id is its chunks' ids in line order joined by '+'. Candidates below the depth are kept as they are.
    /// </summary>
    public IReadOnlyList<ScoredChunk> Join(IReadOnlyList<ScoredChunk> ranked)
    {
        if (_options.Depth == 0 || _options.MaxChunks == 1)
            return ranked;
        var passages = new List<Passage>();
        for (var i = 0; i < ranked.Count; i++)
        {
            var candidate = ranked[i];
            var host = i < _options.Depth ? passages.FirstOrDefault(p => p.CanTake([candidate.Chunk], _options.MaxChunks)) : null;
            if (host is null)
            {
                passages.Add(new Passage(candidate));
                continue;
            }
            host.Take([candidate.Chunk]);
            // The passage grew, so it may now meet another passage on its other side; the two become one.
            while (passages.FirstOrDefault(p => p != host && host.CanTake(p.Chunks, _options.MaxChunks)) is { } other)
            {
                host.Take(other.Chunks);
                passages.Remove(other);
            }
        }
        return passages.Select(p => p.ToScoredChunk()).ToList();
    }

    private sealed class Passage(ScoredChunk best)
    {
        /// <summary>The passage's chunks in line order.</summary>
        public List<Chunk> Chunks { get; } = [best.Chunk];

        private Chunk First => Chunks[0];
        private Chunk Last => Chunks[^1];

        /// <summary>Whether <paramref name="chunks"/> (in line order) sit right before or right after this passage, and the
        /// two together hold at most <paramref name="maxChunks"/>.</summary>
        public bool CanTake(IReadOnlyList<Chunk> chunks, int maxChunks) =>
            Chunks.Count + chunks.Count <= maxChunks && chunks[0].File == First.File
            && (Follows(Last, chunks[0]) || Follows(chunks[^1], First));

        public void Take(IReadOnlyList<Chunk> chunks)
        {
            if (Follows(Last, chunks[0])) Chunks.AddRange(chunks);
            else Chunks.InsertRange(0, chunks);
        }

        /// <summary>True when <paramref name="next"/> starts right after <paramref name="chunk"/> and its empty lines.</summary>
        private static bool Follows(Chunk chunk, Chunk next) =>
            chunk.BlankLinesAfter is { } blank && next.BlankLinesAfter is not null
            && next.StartLine == chunk.EndLine + blank + 1;

        public ScoredChunk ToScoredChunk()
        {
            if (Chunks.Count == 1)
                return best;
            var text = string.Join("\n", Chunks.Select((c, i) => i == 0 ? c.Text : new string('\n', Chunks[i - 1].BlankLinesAfter!.Value) + c.Text));
            var joined = new Chunk(string.Join('+', Chunks.Select(c => c.Id)), First.File, First.HeadingPath, First.StartLine, Last.EndLine,
                text, string.Join("\n", Chunks.Select(c => c.EmbeddedText)), Chunks.Sum(c => c.Tokens), Last.BlankLinesAfter, Structure());
            return best with { Chunk = joined };
        }

        /// <summary>The chunks' structures as one, each chunk's lines where its text starts in the passage's (whole lines:
        /// its line in the note less the passage's first); unknown when any chunk's is.</summary>
        private ChunkStructure? Structure() =>
            Chunks.Skip(1).Aggregate(First.Structure,
                (joined, c) => joined is null || c.Structure is null ? null : joined.Then(c.Structure, c.StartLine - First.StartLine));
    }
}
