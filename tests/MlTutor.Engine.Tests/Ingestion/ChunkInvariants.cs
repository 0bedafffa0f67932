using System.Text.RegularExpressions;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>What must hold for every chunk of every note, whatever the note looks like.</summary>
public static class ChunkInvariants
{
    /// <summary>The note's lines: "\r\n", "\n" and a lone "\r" each end one.</summary>
    public static string[] Lines(string text) => Regex.Split(text, "\r\n|\r|\n");

    public static void Check(NoteFile file, IReadOnlyList<Chunk> chunks, int maxPieces = 256)
    {
        var lines = Lines(file.Text);
        // A final line break ends the last line; it does not start another.
        var lineCount = lines.Length > 1 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        foreach (var c in chunks)
        {
            Assert.Equal(file.RelativePath, c.File);
            Assert.InRange(c.StartLine, 1, lines.Length);
            Assert.InRange(c.EndLine, c.StartLine, lines.Length);
            var cited = string.Join("\n", lines[(c.StartLine - 1)..c.EndLine]);
            // A part of one line too long for the encoder cites the line but holds only its own stretch of it.
            if (c.Text != cited)
            {
                Assert.Equal(c.StartLine, c.EndLine);
                Assert.Contains(c.Text, cited);
                Assert.False(string.IsNullOrWhiteSpace(c.Text));
                Assert.Null(c.BlankLinesAfter);
            }
            else
            {
                // Passages are joined on this count, so it must be exact: only empty lines, then another line or the end.
                Assert.NotNull(c.BlankLinesAfter);
                var after = c.EndLine + c.BlankLinesAfter!.Value;
                Assert.InRange(after, c.EndLine, lineCount);
                Assert.All(lines[c.EndLine..after], l => Assert.Equal("", l));
                Assert.True(after == lineCount || lines[after].Length > 0, $"{c.File}:{c.EndLine} counts {c.BlankLinesAfter} empty lines after it, but line {after + 1} is empty too");
            }
            Assert.False(string.IsNullOrWhiteSpace(lines[c.StartLine - 1]));
            Assert.False(string.IsNullOrWhiteSpace(lines[c.EndLine - 1]));
            Assert.Equal(TestPieceCounter.Count(c.EmbeddedText), c.Tokens);
            Assert.True(c.Tokens <= maxPieces, $"{c.File}:{c.StartLine}-{c.EndLine} has {c.Tokens} pieces");
            CheckStructure(c);
        }
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
    }

    /// <summary>What ingestion read goes with the chunk: its blocks in line order without overlaps, within its text, the
    /// first on its first line; every item in its text and named in the id form; the chunk opens in one of them.</summary>
    public static void CheckStructure(Chunk c)
    {
        var where = $"{c.File}:{c.StartLine}-{c.EndLine}";
        Assert.True(c.Structure is not null, $"{where} carries no structure");
        var lines = c.Text.Split('\n').Length;
        var blocks = c.Structure.Blocks;
        Assert.True(blocks.Count > 0, $"{where} has no block");
        Assert.Equal(0, blocks[0].FirstLine);
        for (var i = 0; i < blocks.Count; i++)
        {
            Assert.InRange(blocks[i].FirstLine, i == 0 ? 0 : blocks[i - 1].LastLine + 1, blocks[i].LastLine);
            Assert.InRange(blocks[i].LastLine, 0, lines - 1);
        }
        Assert.Contains(c.Structure.Items, item => item.Kind == ItemKind.Section);
        Assert.All(c.Structure.Items, item =>
        {
            Assert.Matches(ItemIdForm, item.Id);
            Assert.InRange(item.FirstLine, 0, item.LastLine);
            Assert.InRange(item.LastLine, 0, lines - 1);
            Assert.Equal(item.Kind == ItemKind.Section, item.Question is null);
        });
        Assert.Contains(c.ItemId, c.Structure.Items.Select(item => item.Id));
    }

    /// <summary>A kind, a colon, 12 hex digits of a hash, and "-2", "-3"… for a second, third copy of an item.</summary>
    public const string ItemIdForm = "^(section|card|qa):[0-9a-f]{12}(-[2-9][0-9]*)?$";
}
