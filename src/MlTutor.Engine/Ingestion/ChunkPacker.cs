namespace MlTutor.Ingestion;

/// <summary>
/// Turns the sections of one note into chunks: joins runs of small sections of one topic
/// (<see cref="SmallSectionMerger"/>), packs consecutive blocks of a section up to the target size, splits a block only
/// when it alone is too large for the encoder (at its least harmful line boundary), and has each chunk made with its
/// embedded text from the heading path, any carried-over context, and the content lines (<see cref="ChunkMaker"/>).
/// </summary>
internal sealed class ChunkPacker
{
    private readonly ChunkerOptions _options;
    private readonly string _file;
    private readonly IReadOnlyList<string> _lines;
    private readonly ICollection<IngestionWarning> _warnings;
    private readonly PieceCounter _pieces;
    private readonly List<Chunk> _chunks = [];

    public ChunkPacker(Func<string, int> countPieces, ChunkerOptions options, string file, IReadOnlyList<string> lines,
        ICollection<IngestionWarning> warnings)
    {
        _options = options;
        _file = file;
        _lines = lines;
        _warnings = warnings;
        _pieces = new PieceCounter(countPieces, lines);
    }

    /// <param name="title">The note's title, the first part of every heading path when it has one.</param>
    public IReadOnlyList<Chunk> Pack(IReadOnlyList<OutlineSection> sections, string? title = null)
    {
        // Taken before sections are joined: a chunk's structure is of the blocks as the note has them.
        var owner = new OutlineBlock?[_lines.Count];
        foreach (var block in sections.SelectMany(s => s.Blocks))
            for (var l = block.Start; l <= block.End; l++)
                owner[l - 1] = block;
        var maker = new ChunkMaker(_file, _lines, _pieces, owner);
        var longLines = new LongLineWindows(_options, _file, _lines, _pieces, maker, _warnings);
        var packed = _options.MergeSectionsUpTo > 0 ? new SmallSectionMerger(_options, _pieces).Merge(sections, title) : sections;
        foreach (var section in packed)
            if (section.Blocks.Count > 0)
                PackSection(section, maker, longLines);
        return _chunks;
    }

    private void PackSection(OutlineSection section, ChunkMaker maker, LongLineWindows longLines)
    {
        var layout = SectionLayout.Of(section.Blocks);
        var path = _pieces.Truncate(section.HeadingPath, _options.MaxHeadingPathPieces, keepEnd: true);
        var pos = layout.First;
        var shrink = 0;
        while (pos <= layout.Last)
        {
            var block = layout.Owner(pos);
            if (block is null || string.IsNullOrWhiteSpace(_lines[pos - 1])) { pos++; continue; }

            var prefix = Prefix(path, block, pos);
            var prefixCost = _pieces.Of(prefix);
            var maxBody = _options.MaxPieces - 2 - prefixCost - shrink;
            var targetBody = _options.TargetPieces - 2 - prefixCost;
            var candidates = Ends(layout, pos, maxBody);
            if (candidates.Count == 0)
            {
                // The line alone is longer than the encoder reads.
                _chunks.AddRange(longLines.Of(pos, section.HeadingPath, prefix));
                pos++;
                shrink = 0;
                continue;
            }

            var end = ChooseEnd(candidates, targetBody, maxBody, out var rank);
            var stop = end;
            while (stop > pos && string.IsNullOrWhiteSpace(_lines[stop - 1])) stop--;
            if (!HasEmbeddedLine(pos, stop, layout))
            {
                // Only structure (a heading whose content could not join it): nothing to embed.
                pos = end + 1;
                shrink = 0;
                continue;
            }

            var chunk = maker.Build(pos, stop, section.HeadingPath, prefix, layout);
            if (chunk.Tokens > _options.MaxPieces)
            {
                // The per-line estimate was short (pieces are not quite additive); retry with a smaller budget.
                shrink += chunk.Tokens - _options.MaxPieces + 2;
                continue;
            }
            WarnOfCutInside(layout.Owner(end), end, rank);
            _chunks.Add(chunk);
            pos = end + 1;
            shrink = 0;
        }
    }

    /// <summary>Every place a chunk starting at <paramref name="pos"/> could end, with the size it would have.</summary>
    private List<(int End, int Rank, int Size)> Ends(SectionLayout layout, int pos, int maxBody)
    {
        var candidates = new List<(int End, int Rank, int Size)>();
        var size = 0;
        for (var j = pos; j <= layout.Last; j++)
        {
            size += _pieces.Line(j, layout.Owner(j));
            if (size > maxBody) break;
            if (layout.CutAfter(j) != CutRank.Never) candidates.Add((j, layout.CutAfter(j), size));
        }
        return candidates;
    }

    /// <summary>
    /// Packs whole blocks up to the target; a block larger than the target but within the limit goes alone; only a block
    /// over the limit is cut inside, at the lowest-ranked boundary that still fills a fair part of the chunk.
    /// </summary>
    private static int ChooseEnd(List<(int End, int Rank, int Size)> candidates, int targetBody, int maxBody, out int rank)
    {
        var atBlocks = candidates.Where(c => c.Rank == CutRank.Block).ToList();
        var withinTarget = atBlocks.Where(c => c.Size <= targetBody).ToList();
        if (withinTarget.Count > 0) { rank = CutRank.Block; return withinTarget[^1].End; }
        if (atBlocks.Count > 0) { rank = CutRank.Block; return atBlocks[0].End; }

        var filled = candidates.Where(c => c.Size >= maxBody / 3).ToList();
        var pool = filled.Count > 0 ? filled : candidates;
        var best = pool.Min(c => c.Rank);
        var chosen = pool.Last(c => c.Rank == best);
        rank = chosen.Rank;
        return chosen.End;
    }

    /// <summary>A block cut inside at a last resort (a table, code, a list too long for the encoder) is reported with where.</summary>
    private void WarnOfCutInside(OutlineBlock? endOwner, int end, int rank)
    {
        if (rank >= CutRank.LastResort && endOwner is not null && end < endOwner.End && endOwner.Kind != BlockKind.Heading)
            _warnings.Add(new IngestionWarning(_file, endOwner.Start,
                $"{endOwner.Name} at lines {endOwner.Start}-{endOwner.End} is longer than the encoder reads; split after line {end}"));
    }

    private bool HasEmbeddedLine(int start, int end, SectionLayout layout)
    {
        for (var l = start; l <= end; l++)
            if (layout.Owner(l) is { Embedded: true } && PieceCounter.IsContentLine(_lines[l - 1]))
                return true;
        return false;
    }

    private string Prefix(string path, OutlineBlock block, int pos)
    {
        var context = block.Context is not null && pos > block.ContextLine
            ? _pieces.Truncate(block.Context, _options.MaxContextPieces, keepEnd: false)
            : null;
        return context is null ? path : path.Length == 0 ? context : path + "\n" + context;
    }
}
