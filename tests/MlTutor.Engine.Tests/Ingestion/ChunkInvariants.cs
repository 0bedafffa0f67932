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
        }
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
    }
}
