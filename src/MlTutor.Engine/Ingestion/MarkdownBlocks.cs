using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace MlTutor.Ingestion;

/// <summary>The outline blocks of a markdown note's lists, code, formulas, tables and quotes, with where each may be cut.</summary>
internal static class MarkdownBlocks
{
    /// <summary>The outline block of <paramref name="block"/> (neither a paragraph nor a heading) at its lines
    /// <paramref name="start"/>..<paramref name="end"/>.</summary>
    public static OutlineBlock Of(Block block, int start, int end, MarkdownLines source)
    {
        switch (block)
        {
            case ListBlock list:
                var outlined = new OutlineBlock(start, end) { Kind = BlockKind.ListItem, Name = "list" };
                MarkListCuts(list, outlined, source);
                outlined.ProtectFormulas(source.Lines);
                return outlined;
            case FencedCodeBlock or CodeBlock when block is not MathBlock:
                return new OutlineBlock(start, end) { Kind = BlockKind.Code, Name = "code block", DefaultInnerCut = CutRank.LastResort };
            case MathBlock:
                return new OutlineBlock(start, end) { Kind = BlockKind.Formula, Name = "formula", DefaultInnerCut = CutRank.InFormula };
            case Table:
                return OutlineBlock.Table(start, end, source.Lines[start - 1]);
            default:
                var other = new OutlineBlock(start, end)
                {
                    Kind = block is QuoteBlock ? BlockKind.Quote : BlockKind.Other,
                    Name = block.GetType().Name.Replace("Block", "").ToLowerInvariant(),
                };
                other.ProtectFormulas(source.Lines);
                return other;
        }
    }

    /// <summary>A list is cut between its items, and inside an item only between its sub-items; the list's items are the
    /// block's parts.</summary>
    private static void MarkListCuts(ListBlock list, OutlineBlock ob, MarkdownLines source)
    {
        ob.Parts = [];
        foreach (var item in list.Descendants<ListItemBlock>())
        {
            var (itemStart, itemEnd) = source.Of(item);
            var parentList = item.Parent as ListBlock;
            if (ReferenceEquals(parentList, list)) ob.Parts.Add(new BlockPart(BlockKind.ListItem, itemStart, itemEnd));
            int rank;
            if (ReferenceEquals(parentList, list)) rank = CutRank.Item;
            // The first sub-item stays with the line that introduces it; later sub-items may part.
            else if (parentList is not null && ReferenceEquals(parentList.FirstOrDefault(), item)) rank = CutRank.LastResort;
            else rank = CutRank.Line;
            // The cut goes after the last non-blank line before the item.
            var before = itemStart - 1;
            while (before > ob.Start && string.IsNullOrWhiteSpace(source.Lines[before - 1])) before--;
            for (var l = before; l < itemStart; l++) ob.SetInnerCut(l, l == before ? rank : CutRank.Never);
        }
    }
}
