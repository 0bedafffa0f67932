namespace MlTutor.Ingestion;

/// <summary>
/// Joins runs of consecutive small sections of one topic into one section under their common heading path, each
/// joined sub-heading embedded in the text where it stands. Notes converted from slides or PDFs cut a topic into
/// many two-line sections ("Layer Normalization", "Instance Normalization"); alone each is a weak vector and a
/// narrow target, together they are the passage a question about the topic wants. A run joins a parent with its
/// children or siblings under one topic (the common path keeps a level below the title, and is at most one level
/// above the first section's), never across a table of contents or a flashcard's end, and only while the whole
/// joined chunk, heading path and sub-headings included, fits the budget.
/// </summary>
internal sealed class SmallSectionMerger(ChunkerOptions options, PieceCounter pieces)
{
    /// <param name="title">The note's title, the first part of every heading path when it has one.</param>
    public List<OutlineSection> Merge(IReadOnlyList<OutlineSection> sections, string? title)
    {
        var budget = Math.Min(options.MergeSectionsUpTo, options.TargetPieces);
        var result = new List<OutlineSection>(sections.Count);
        var i = 0;
        while (i < sections.Count)
        {
            var (j, common) = RunFrom(sections, i, title, budget);
            if (j == i + 1)
            {
                result.Add(sections[i]);
                i++;
                continue;
            }
            result.Add(Join(sections, i, j, common));
            i = j;
        }
        return result;
    }

    /// <summary>The end (exclusive) of the run of sections that join the one at <paramref name="i"/>, and their common path.</summary>
    private (int End, string[] Common) RunFrom(IReadOnlyList<OutlineSection> sections, int i, string? title, int budget)
    {
        var common = Parts(sections[i].HeadingPath);
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
        return (j, common);
    }

    /// <summary>Sections first..end-1 as one section under <paramref name="common"/>, each sub-heading embedded where it stands.</summary>
    private static OutlineSection Join(IReadOnlyList<OutlineSection> sections, int first, int end, string[] common)
    {
        var blocks = new List<OutlineBlock>();
        for (var k = first; k < end; k++)
        {
            var label = Label(sections[k].HeadingPath, common.Length);
            if (HeadingOf(sections[k]) is { } heading && label.Length > 0)
            {
                heading.Embedded = true;
                heading.EmbedAs = label;
            }
            blocks.AddRange(sections[k].Blocks);
        }
        return new OutlineSection(string.Join(HeadingText.Separator, common), blocks, sections[first].AfterHardEdge);
    }

    /// <summary>Levels of a heading path below the note's title.</summary>
    private static int TopicDepth(string[] path, string? title) =>
        path.Length - (!string.IsNullOrEmpty(title) && path.Length > 0 && path[0] == title ? 1 : 0);

    /// <summary>Pieces of sections first..last joined under <paramref name="common"/>: [CLS], [SEP], the path, every
    /// section's content and the sub-heading words embedded for it.</summary>
    private int GroupCost(IReadOnlyList<OutlineSection> sections, int first, int last, string[] common)
    {
        var cost = 2 + pieces.Of(string.Join(HeadingText.Separator, common));
        for (var k = first; k <= last; k++)
            cost += SectionCost(sections[k]) + pieces.Of(Label(sections[k].HeadingPath, common.Length));
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
                cost += pieces.Line(l, b);
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
}
