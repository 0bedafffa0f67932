using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>The one way lines are numbered, checked against what an editor and <c>wc -l</c> say.</summary>
public sealed class NoteLinesTests
{
    [Theory]
    [InlineData("a\nb\n", new[] { "a", "b" })]
    [InlineData("a\nb", new[] { "a", "b" })]
    [InlineData("a\r\nb\r\n", new[] { "a", "b" })]
    [InlineData("a\rb\r", new[] { "a", "b" })]
    [InlineData("a\r\rb", new[] { "a", "", "b" })]
    [InlineData("a\n\n", new[] { "a", "" })]
    [InlineData("\n", new[] { "" })]
    [InlineData("", new string[0])]
    public void EveryKindOfLineEndingEndsALineAndAFinalOneStartsNone(string text, string[] expected) =>
        Assert.Equal(expected, NoteLines.Split(text));

    [Fact]
    public void TheLineCountOfAFileEndingInANewlineIsWhatWcCounts()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "corpus", "optimizers.md"));
        var newlines = text.Count(c => c == '\n');
        Assert.EndsWith("\n", text);
        Assert.Equal(newlines, NoteLines.Split(text).Length);
    }

    [Theory]
    [InlineData("a\r\nb\rc\nd", 0, 1)]
    [InlineData("a\r\nb\rc\nd", 3, 2)]
    [InlineData("a\r\nb\rc\nd", 5, 3)]
    [InlineData("a\r\nb\rc\nd", 7, 4)]
    public void AnOffsetLiesOnTheLineSplitGivesIt(string text, int offset, int line)
    {
        Assert.Equal(line, NoteLines.LineAt(text, offset));
        Assert.Equal(NoteLines.Split(text)[line - 1][0], text[offset]);
    }
}
