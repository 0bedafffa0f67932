using System.Security.Cryptography;
using System.Text;

namespace MlTutor.Ingestion;

/// <summary>
/// Turns the sections of one note into chunks: joins runs of small sections of one topic, packs consecutive blocks of a
/// section up to the target size, splits a
/// block only when it alone is too large for the encoder (at its least harmful line boundary), and builds each chunk's
/// embedded text from the heading path, any carried-over context, and the content lines.
/// </summary>
internal sealed class ChunkPacker
{
    private readonly Func<string, int> _countPieces;
    private readonly ChunkerOptions _options;
    private readonly string _file;
    private readonly IReadOnlyList<string> _lines;
    private readonly ICollection<IngestionWarning> _warnings;
    private readonly int[] _cost;
    private readonly List<Chunk> _chunks = [];
    /// <summary>The block each line of the note belongs to, if any.</summary>
    private readonly OutlineBlock?[] _owner;

    public ChunkPacker(Func<string, int> countPieces, ChunkerOptions options, string file, IReadOnlyList<string> lines,
        ICollection<IngestionWarning> warnings)
    {
        _countPieces = countPieces;
        _options = options;
        _file = file;
        _lines = lines;
        _warnings = warnings;
        _cost = new int[lines.Count];
        Array.Fill(_cost, -1);
        _owner = new OutlineBlock?[lines.Count];
    }

    /// <param name="title">The note's title, the first part of every heading path when it has one.</param>
    public IReadOnlyList<Chunk> Pack(IReadOnlyList<OutlineSection> sections, string? title = null)
    {
        foreach (var block in sections.SelectMany(s => s.Blocks))
            for (var l = block.Start; l <= block.End; l++)
                _owner[l - 1] = block;
        foreach (var section in _options.MergeSectionsUpTo > 0 ? MergeSmall(sections, title) : sections)
            if (section.Blocks.Count > 0)
                PackSection(section);
        return _chunks;
    }

    /// <summary>
    /// Joins runs of consecutive small sections of one topic into one section under their common heading path, each
    /// joined sub-heading embedded in the text where it stands. Notes converted from slides or PDFs cut a topic into
    /// many two-line sections ("Layer Normalization", "Instance Normalization"); alone each is a weak vector and a
    /// narrow target, together they are the passage a question about the topic wants. A run joins a parent with its
    /// children or siblings under one topic (the common path keeps a level below the title, and is at most one level
    /// above the first section's), never across a table of contents or a flashcard's end, and only while the whole
    /// joined chunk, heading path and sub-headings included, fits the budget.
    /// </summary>
    private List<OutlineSection> MergeSmall(IReadOnlyList<OutlineSection> sections, string? title)
    {
        var budget = Math.Min(_options.MergeSectionsUpTo, _options.TargetPieces);
        var result = new List<OutlineSection>(sections.Count);
        var i = 0;
        while (i < sections.Count)
        {
            var first = sections[i];
            var common = Parts(first.HeadingPath);
            var topicDepth = TopicDepth(common, title);
            var j = i + 1;
            for (; j < sections.Count; j++)
            {
                var next = sections[j];
                if (next.AfterHardEdge || HeadingOf(next) is null) break;
                var joined = Common(common, Parts(next.HeadingPath));
                var depth = TopicDepth(joined, title);
                if (depth < 1 || depth < topicDepth - 1) break;
                if (GroupCost(sections, i, j, joined) > budget) break;
                common = joined;
            }
            if (j == i + 1)
            {
                result.Add(first);
                i++;
                continue;
            }
            var blocks = new List<OutlineBlock>();
            for (var k = i; k < j; k++)
            {
                var label = Label(sections[k].HeadingPath, common.Length);
                if (HeadingOf(sections[k]) is { } heading && label.Length > 0)
                {
                    heading.Embedded = true;
                    heading.EmbedAs = label;
                }
                blocks.AddRange(sections[k].Blocks);
            }
            result.Add(new OutlineSection(string.Join(HeadingText.Separator, common), blocks, first.AfterHardEdge));
            i = j;
        }
        return result;
    }

    /// <summary>Levels of a heading path below the note's title.</summary>
    private static int TopicDepth(string[] path, string? title) =>
        path.Length - (!string.IsNullOrEmpty(title) && path.Length > 0 && path[0] == title ? 1 : 0);

    /// <summary>Pieces of sections first..last joined under <paramref name="common"/>: [CLS], [SEP], the path, every
    /// section's content and the sub-heading words embedded for it.</summary>
    private int GroupCost(IReadOnlyList<OutlineSection> sections, int first, int last, string[] common)
    {
        var cost = 2 + Pieces(string.Join(HeadingText.Separator, common));
        for (var k = first; k <= last; k++)
            cost += SectionCost(sections[k]) + Pieces(Label(sections[k].HeadingPath, common.Length));
        return cost;
    }

    /// <summary>The block of the heading line that opens a section, or null when the section does not start at a heading.</summary>
    private static OutlineBlock? HeadingOf(OutlineSection section) =>
        section.Blocks.Count > 0 && section.Blocks[0].Kind == BlockKind.Heading ? section.Blocks[0] : null;

    /// <summary>Pieces of a section's content as the packer counts them (heading lines are not content).</summary>
    private int SectionCost(OutlineSection section)
    {
        var cost = 0;
        foreach (var b in section.Blocks)
            for (var l = b.Start; l <= b.End; l++)
                cost += Cost(l, b);
        return cost;
    }

    private static string[] Parts(string path) => path.Length == 0 ? [] : path.Split(HeadingText.Separator);

    private static string[] Common(string[] a, string[] b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return a[..n];
    }

    /// <summary>The part of a heading path below its first <paramref name="depth"/> parts.</summary>
    private static string Label(string path, int depth) => string.Join(HeadingText.Separator, Parts(path).Skip(depth));

    /// <summary>Word pieces of a text without [CLS] and [SEP].</summary>
    private int Pieces(string text) => string.IsNullOrWhiteSpace(text) ? 0 : Math.Max(0, _countPieces(text) - 2);

    private void PackSection(OutlineSection section)
    {
        var blocks = section.Blocks;
        var first = blocks[0].Start;
        var last = blocks[^1].End;
        var n = last - first + 1;
        var cut = new int[n];
        var owner = new OutlineBlock?[n];
        Array.Fill(cut, CutRank.Never);
        for (var bi = 0; bi < blocks.Count; bi++)
        {
            var b = blocks[bi];
            for (var l = b.Start; l <= b.End; l++)
            {
                owner[l - first] = b;
                cut[l - first] = l < b.End ? b.CutAfter(l)
                    : bi == blocks.Count - 1 ? CutRank.Block
                    : b.GlueToNext ? CutRank.LastResort
                    : CutRank.Block;
            }
        }

        var path = Truncate(section.HeadingPath, _options.MaxHeadingPathPieces, keepEnd: true);
        var pos = first;
        var shrink = 0;
        while (pos <= last)
        {
            var block = owner[pos - first];
            if (block is null || string.IsNullOrWhiteSpace(_lines[pos - 1])) { pos++; continue; }

            var prefix = Prefix(path, block, pos);
            var prefixCost = Pieces(prefix);
            var maxBody = _options.MaxPieces - 2 - prefixCost - shrink;
            var targetBody = _options.TargetPieces - 2 - prefixCost;

            // Every place a chunk starting at pos could end, with the size it would have.
            var candidates = new List<(int End, int Rank, int Size)>();
            var size = 0;
            for (var j = pos; j <= last; j++)
            {
                size += Cost(j, owner[j - first]);
                if (size > maxBody) break;
                if (cut[j - first] != CutRank.Never) candidates.Add((j, cut[j - first], size));
            }

            if (candidates.Count == 0)
            {
                // The line alone is longer than the encoder reads.
                Window(pos, section.HeadingPath, prefix);
                pos++;
                shrink = 0;
                continue;
            }

            var end = ChooseEnd(candidates, targetBody, maxBody, out var rank);
            var stop = end;
            while (stop > pos && string.IsNullOrWhiteSpace(_lines[stop - 1])) stop--;
            if (!HasEmbeddedLine(pos, stop, owner, first))
            {
                // Only structure (a heading whose content could not join it): nothing to embed.
                pos = end + 1;
                shrink = 0;
                continue;
            }

            var chunk = Build(pos, stop, section.HeadingPath, prefix, owner, first);
            if (chunk.Tokens > _options.MaxPieces)
            {
                // The per-line estimate was short (pieces are not quite additive); retry with a smaller budget.
                shrink += chunk.Tokens - _options.MaxPieces + 2;
                continue;
            }
            var endOwner = owner[end - first];
            if (rank >= CutRank.LastResort && endOwner is not null && end < endOwner.End && endOwner.Kind != BlockKind.Heading)
                _warnings.Add(new IngestionWarning(_file, endOwner.Start,
                    $"{endOwner.Name} at lines {endOwner.Start}-{endOwner.End} is longer than the encoder reads; split after line {end}"));
            _chunks.Add(chunk);
            pos = end + 1;
            shrink = 0;
        }
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

    private int Cost(int line, OutlineBlock? owner)
    {
        if (owner is null || !owner.Embedded) return 0;
        if (owner.EmbedAs is not null) return line == owner.Start ? Pieces(owner.EmbedAs) : 0;
        if (_cost[line - 1] < 0)
            _cost[line - 1] = IsContentLine(_lines[line - 1]) ? Pieces(_lines[line - 1]) : 0;
        return _cost[line - 1];
    }

    private static bool IsContentLine(string line) =>
        !string.IsNullOrWhiteSpace(line) && !Boilerplate.IsPageNumber(line);

    private bool HasEmbeddedLine(int start, int end, OutlineBlock?[] owner, int first)
    {
        for (var l = start; l <= end; l++)
            if (owner[l - first] is { Embedded: true } && IsContentLine(_lines[l - 1]))
                return true;
        return false;
    }

    private string Prefix(string path, OutlineBlock block, int pos)
    {
        var context = block.Context is not null && pos > block.ContextLine
            ? Truncate(block.Context, _options.MaxContextPieces, keepEnd: false)
            : null;
        return context is null ? path : path.Length == 0 ? context : path + "\n" + context;
    }

    private Chunk Build(int start, int end, string headingPath, string prefix, OutlineBlock?[] owner, int first)
    {
        var body = new StringBuilder();
        for (var l = start; l <= end; l++)
        {
            if (owner[l - first] is not { Embedded: true } block || !IsContentLine(_lines[l - 1])) continue;
            if (block.EmbedAs is not null && l != block.Start) continue;
            if (body.Length > 0) body.Append('\n');
            body.Append(block.EmbedAs ?? _lines[l - 1].Trim());
        }
        return Make(start, end, headingPath, prefix, body.ToString());
    }

    /// <param name="ownText">The text of a part of one over-long line; null: the lines start..end.</param>
    private Chunk Make(int start, int end, string headingPath, string prefix, string body, int part = 0, string? ownText = null)
    {
        var text = ownText ?? string.Join("\n", Enumerable.Range(start, end - start + 1).Select(l => _lines[l - 1]));
        var embedded = prefix.Length == 0 ? body : prefix + "\n" + body;
        return new Chunk(Id(start, end, embedded, part), _file, headingPath, start, end, text, embedded, _countPieces(embedded),
            ownText is null ? BlankLinesAfter(end) : null, StructureOf(start, end));
    }

    /// <summary>The blocks of lines <paramref name="start"/>..<paramref name="end"/>, and the items they belong to.</summary>
    private ChunkStructure StructureOf(int start, int end)
    {
        var blocks = new List<ChunkBlock>();
        var items = new List<NoteItem>();
        OutlineBlock? previous = null;
        for (var l = start; l <= end; l++)
        {
            if (_owner[l - 1] is not { } block || block == previous) continue;
            previous = block;
            var within = block.BlocksWithin(start, end).ToList();
            if (within.Count == 0) continue;
            blocks.AddRange(within);
            // The section first: a card or pair lies inside it.
            Include(items, block.Section, within);
            Include(items, block.Item, within);
        }
        return new ChunkStructure(blocks, items);
    }

    private static void Include(List<NoteItem> items, OutlineItem? item, List<ChunkBlock> blocks)
    {
        if (item is null) return;
        var known = items.FindIndex(i => i.Id == item.Id);
        if (known >= 0) items[known] = items[known] with { LastLine = blocks[^1].LastLine };
        else items.Add(new NoteItem(item.Id, item.Kind, item.HeadingPath, item.Question, blocks[0].FirstLine, blocks[^1].LastLine));
    }

    /// <summary>Empty lines right after line <paramref name="end"/>, up to the next other line or the end of the note. A line
    /// of spaces ends the count, since a passage joined across it would not show it as it is.</summary>
    private int BlankLinesAfter(int end)
    {
        var blank = 0;
        while (end + blank < _lines.Count && _lines[end + blank].Length == 0) blank++;
        return blank;
    }

    /// <summary>Same file, lines and embedded text give the same id; windows of one line differ by their part number.</summary>
    private string Id(int start, int end, string embedded, int part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{_file}\n{start}-{end}\n{part}\n{embedded}"));
        return Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>
    /// A single line longer than the encoder reads (a long formula, a paragraph without line breaks) cannot be cut:
    /// a chunk is whole lines. It becomes several chunks that all cite the line, each embedding one consecutive part
    /// of it and storing only that part as its text, so the index grows with the line, not with the line times its
    /// parts. At most <see cref="ChunkerOptions.MaxLineParts"/> parts are made; the line is only read that far.
    /// </summary>
    private void Window(int line, string headingPath, string prefix)
    {
        var text = _lines[line - 1];
        var budget = _options.MaxPieces - 2 - Pieces(prefix);
        var atoms = new LineAtoms(text, Pieces);
        var parts = 0;
        var a = 0;
        while (atoms.Has(a) && parts < _options.MaxLineParts)
        {
            // Greedy on per-atom estimates, then checked with the real count and backed off if needed.
            var b = a;
            var est = 0;
            while (atoms.Has(b) && est + atoms[b].Cost <= budget) { est += atoms[b].Cost; b++; }
            if (b == a) b = a + 1; // an atom is at most 16 characters: it always fits an empty window
            Chunk chunk;
            while (true)
            {
                var stopAt = atoms.Has(b) ? atoms[b].Start : text.Length;
                var part = text[atoms[a].Start..stopAt].Trim();
                chunk = Make(line, line, headingPath, prefix, part, parts + 1, part);
                if (chunk.Tokens <= _options.MaxPieces || b == a + 1) break;
                b--;
            }
            if (chunk.Tokens <= _options.MaxPieces)
            {
                _chunks.Add(chunk);
                parts++;
            }
            a = b;
        }
        if (atoms.Has(a))
            _warnings.Add(new IngestionWarning(_file, line,
                $"line is longer than the encoder reads; only its first {parts} parts (up to character {atoms[a].Start} of {text.Length}) are embedded, each citing the whole line; break the line to have all of it found"));
        else
            _warnings.Add(new IngestionWarning(_file, line,
                $"line is longer than the encoder reads ({(_cost[line - 1] >= 0 ? _cost[line - 1] : Pieces(text))} word pieces); embedded in {parts} parts that each cite the whole line"));
    }

    /// <summary>
    /// The words of a long line, at most 16 characters each (a formula without spaces is cut too), with their pieces
    /// plus one for the space after them. Read lazily: a line past the part limit is never tokenized to its end.
    /// </summary>
    private sealed class LineAtoms(string text, Func<string, int> pieces)
    {
        private readonly List<(int Start, int Cost)> _atoms = [];
        private int _scanned;

        public (int Start, int Cost) this[int i] => Has(i) ? _atoms[i] : throw new ArgumentOutOfRangeException(nameof(i));

        public bool Has(int i)
        {
            while (_atoms.Count <= i && _scanned < text.Length)
            {
                var p = _scanned;
                while (p < text.Length && char.IsWhiteSpace(text[p])) p++;
                if (p >= text.Length) { _scanned = p; break; }
                var s = p;
                while (p < text.Length && !char.IsWhiteSpace(text[p]) && p - s < 16) p++;
                _atoms.Add((s, pieces(text[s..p]) + 1));
                _scanned = p;
            }
            return i < _atoms.Count;
        }
    }

    /// <summary>Shortens a heading path (dropping leading parts) or a context (dropping trailing words) to a piece budget.</summary>
    private string Truncate(string text, int maxPieces, bool keepEnd)
    {
        if (text.Length == 0 || Pieces(text) <= maxPieces) return text;
        if (keepEnd)
        {
            var parts = text.Split(HeadingText.Separator).ToList();
            while (parts.Count > 1 && Pieces(string.Join(HeadingText.Separator, parts)) > maxPieces) parts.RemoveAt(0);
            text = string.Join(HeadingText.Separator, parts);
            if (Pieces(text) <= maxPieces) return text;
        }
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var lo = 0;
        var hi = words.Length;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (Pieces(string.Join(' ', words.Take(mid))) <= maxPieces) lo = mid; else hi = mid - 1;
        }
        var kept = string.Join(' ', words.Take(lo));
        // A single overlong "word" (a formula without spaces) is cut by characters.
        while (kept.Length == 0 && text.Length > 0 && Pieces(text) > maxPieces) text = text[..(text.Length / 2)];
        return kept.Length > 0 ? kept : text;
    }
}
