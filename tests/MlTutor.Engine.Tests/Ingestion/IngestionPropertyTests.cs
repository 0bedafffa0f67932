using System.Text;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>Random bytes and random markdown through reader and chunker: never an exception, every invariant kept.</summary>
public sealed class IngestionPropertyTests
{
    private static readonly string[] Fragments =
    [
        "# Heading", "## **Bold heading**:", "###### deep", "#", "#### ", "---", "***", "???", "- item", "  - nested item",
        "* star item with $x^2$", "1. numbered", "> quote", "```", "```python", "~~~", "    indented code", "$$", "$$x = y$$",
        "$$\\frac{a}{b}", "\\[ a + b \\]", "$a$ and $b", "| a | b |", "|---|---|", "| 1 | 2 |", "Term\tMeaning\t3",
        "Introduction\t12", "Chapter ....... 7", "42", "title: fake", "Plain sentence about gradients.",
        "rac{1}{2} ext{loss}", "**3.2 Bold Section**", "<div>html</div>", "[link](http://x)", "![img](a.png)",
        "ünïcödé ½ ∑ 漢字 🙂", "\t\t", "   ", "", "", "",
    ];

    [Fact]
    public void RandomBytesThroughReaderAndChunker()
    {
        var rng = new Random(20240611);
        var dir = TestPaths.NewTempDir();
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[rng.Next(0, 3000)];
            rng.NextBytes(bytes);
            // Half the files without NUL bytes, so they get past the binary check and reach the chunker.
            if (i % 2 == 0)
                for (var k = 0; k < bytes.Length; k++)
                    if (bytes[k] == 0) bytes[k] = (byte)'\n';
            File.WriteAllBytes(Path.Combine(dir, $"r{i:D3}.{(i % 3 == 0 ? "txt" : "md")}"), bytes);
        }
        var warnings = new List<IngestionWarning>();
        var notes = new CorpusReader().ReadAll(dir, warnings);
        Assert.NotEmpty(notes);
        var chunker = new Chunker(TestPieceCounter.Count);
        foreach (var note in notes)
            ChunkInvariants.Check(note, chunker.Chunk(note, warnings));
        Assert.All(warnings, w => Assert.Matches(@"^r\d{3}\.(md|txt)$", w.File));
    }

    [Fact]
    public void RandomMarkdownFragmentsThroughTheChunker()
    {
        var rng = new Random(7);
        var small = new ChunkerOptions { MaxPieces = 64, TargetPieces = 40, MaxHeadingPathPieces = 12, MaxContextPieces = 12 };
        for (var i = 0; i < 300; i++)
        {
            var sb = new StringBuilder();
            var lines = rng.Next(1, 80);
            for (var l = 0; l < lines; l++)
            {
                var fragment = Fragments[rng.Next(Fragments.Length)];
                if (rng.Next(10) == 0) fragment = string.Join(" ", Enumerable.Repeat(fragment, rng.Next(2, 120)));
                sb.Append(fragment).Append(rng.Next(6) == 0 ? "\r\n" : rng.Next(40) == 0 ? "\r" : "\n");
            }
            var note = new NoteFile(i % 4 == 0 ? $"f{i}.txt" : $"f{i}.md", sb.ToString(), "h");
            var options = i % 2 == 0 ? small : null;
            var warnings = new List<IngestionWarning>();
            var chunks = new Chunker(TestPieceCounter.Count, options).Chunk(note, warnings);
            ChunkInvariants.Check(note, chunks, options?.MaxPieces ?? 256);
            Assert.All(warnings, w => Assert.Equal(note.RelativePath, w.File));
        }
    }
}
