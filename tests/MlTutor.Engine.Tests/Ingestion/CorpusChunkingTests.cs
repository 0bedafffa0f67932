using System.Text.RegularExpressions;
using MlTutor.Ingestion;
using Xunit;
using Xunit.Abstractions;

namespace MlTutor.Tests.Ingestion;

/// <summary>Chunking the user's real notes: the invariants every chunk must keep, and the numbers behind them.</summary>
public sealed class CorpusChunkingTests(CorpusChunks corpus, ITestOutputHelper output) : IClassFixture<CorpusChunks>
{
    private const string Flashcards = "ml-101-flashcards.md";
    private const string Script = "ml-script.md";
    private const string CompleteNotes = "ml-dl-complete-notes.md";
    private const string Encyclopedia = "ml-encyclopedia.txt";

    private static string[] LinesOf(NoteFile f) => ChunkInvariants.Lines(f.Text);

    private NoteFile File(string name) => corpus.Files.Single(f => f.RelativePath == name);

    [SkippableFact]
    public void AllFiveNotesAreReadAndChunked()
    {
        Assert.Empty(corpus.ReadWarnings);
        Assert.Equal(5, corpus.Files.Count);
        Assert.All(corpus.Files, f => Assert.NotEmpty(corpus.ByFile[f.RelativePath]));
    }

    [SkippableFact]
    public void EveryChunkFitsTheEncoder()
    {
        Assert.All(corpus.All, c =>
        {
            Assert.Equal(TestPieceCounter.Count(c.EmbeddedText), c.Tokens);
            Assert.InRange(c.Tokens, 3, 256);
        });
    }

    [SkippableFact]
    public void EveryChunkTextIsExactlyItsLines()
    {
        foreach (var f in corpus.Files)
        {
            var lines = LinesOf(f);
            foreach (var c in corpus.ByFile[f.RelativePath])
            {
                Assert.Equal(f.RelativePath, c.File);
                Assert.InRange(c.StartLine, 1, c.EndLine);
                Assert.InRange(c.EndLine, c.StartLine, lines.Length);
                var cited = string.Join("\n", lines[(c.StartLine - 1)..c.EndLine]);
                // Only a part of a line longer than the encoder reads holds less than its lines: its own stretch of the line.
                if (c.Text != cited)
                    Assert.True(c.StartLine == c.EndLine && cited.Contains(c.Text) && IsSplitLine(c), $"{c.File}:{c.StartLine}-{c.EndLine} text is not its lines");
                Assert.False(string.IsNullOrWhiteSpace(lines[c.StartLine - 1]), $"{c.File}:{c.StartLine} starts on a blank line");
                Assert.False(string.IsNullOrWhiteSpace(lines[c.EndLine - 1]), $"{c.File}:{c.EndLine} ends on a blank line");
            }
        }
    }

    private bool IsSplitLine(Chunk c) =>
        corpus.ChunkWarnings.Any(w => w.File == c.File && w.Line == c.StartLine && w.Message.Contains("line is longer than the encoder reads"));

    [SkippableFact]
    public void EachOverLongLineIsStoredOnceAcrossItsParts()
    {
        var split = corpus.ChunkWarnings.Where(w => w.Message.StartsWith("line is longer than the encoder reads")).ToList();
        Assert.NotEmpty(split);
        foreach (var w in split)
        {
            var line = LinesOf(File(w.File))[w.Line!.Value - 1];
            var parts = corpus.ByFile[w.File].Where(c => c.StartLine == w.Line && c.EndLine == w.Line).ToList();
            Assert.True(parts.Count >= 2, w.ToString());
            Assert.Contains($"embedded in {parts.Count} parts", w.Message);
            // Every part is its own stretch of the line; together, in order, they are the line, each stretch once
            // (a part may end inside a very long word, so they are compared without the spaces between them).
            Assert.All(parts, p => Assert.Contains(p.Text, line));
            Assert.Equal(string.Concat(Words(line)), string.Concat(parts.SelectMany(p => Words(p.Text))));
            Assert.All(parts, p => Assert.Contains(p.Text, p.EmbeddedText));
        }
    }

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    [SkippableFact]
    public void ChunkIdsAreUniqueAndStable()
    {
        var ids = corpus.All.Select(c => c.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{16}$", id));
        var again = new Chunker(TestPieceCounter.Count).Chunk(File(Script), new List<IngestionWarning>());
        Assert.Equal(corpus.ByFile[Script].Select(c => c.Id), again.Select(c => c.Id));
    }

    [SkippableFact]
    public void EachFlashcardQuestionSharesAChunkWithTheStartOfItsAnswer()
    {
        var f = File(Flashcards);
        var lines = LinesOf(f);
        var chunks = corpus.ByFile[Flashcards];
        var separators = Enumerable.Range(1, lines.Length).Where(l => lines[l - 1].Trim() == "???").ToList();
        Assert.Equal(11, separators.Count);
        foreach (var sep in separators)
        {
            var question = sep - 1;
            while (string.IsNullOrWhiteSpace(lines[question - 1])) question--;
            var answer = sep + 1;
            while (string.IsNullOrWhiteSpace(lines[answer - 1])) answer++;
            Assert.Contains(chunks, c => c.StartLine <= question && c.EndLine >= answer);
            // The chunk holding the question embeds it and the start of the answer.
            var first = chunks.First(c => c.StartLine <= question && c.EndLine >= answer);
            Assert.Contains(lines[question - 1].Trim(), first.EmbeddedText);
            Assert.Contains(lines[answer - 1].Trim(), first.EmbeddedText);
        }
        // One card never shares a chunk with another: no chunk crosses a card separator.
        var cardBreaks = Enumerable.Range(4, lines.Length - 3).Where(l => lines[l - 1].Trim() == "---").ToList();
        Assert.All(chunks, c => Assert.DoesNotContain(cardBreaks, b => b >= c.StartLine && b <= c.EndLine));
        // Continuations of a long answer still carry their question.
        foreach (var c in chunks)
        {
            var sep = separators.LastOrDefault(s => s < c.StartLine);
            if (sep == 0 || cardBreaks.Any(b => b > sep && b < c.StartLine)) continue;
            var q = sep - 1;
            while (string.IsNullOrWhiteSpace(lines[q - 1])) q--;
            Assert.Contains(lines[q - 1].Trim()[..30], c.EmbeddedText);
        }
    }

    [SkippableFact]
    public void EveryChunkCarriesItsBlocksAndItems() => Assert.All(corpus.All, ChunkInvariants.CheckStructure);

    [SkippableFact]
    public void EveryFlashcardIsCarriedAsItsQuestionSeparatorAndAnswer()
    {
        var lines = LinesOf(File(Flashcards));
        var chunks = corpus.ByFile[Flashcards];
        var separators = Enumerable.Range(1, lines.Length).Where(l => lines[l - 1].Trim() == "???").ToList();
        foreach (var sep in separators)
        {
            var chunk = chunks.First(c => c.StartLine <= sep && c.EndLine >= sep);
            Assert.Contains(new ChunkBlock(BlockKind.FlashcardSeparator, sep - chunk.StartLine, sep - chunk.StartLine), chunk.Structure!.Blocks);
            var question = sep - 1;
            while (string.IsNullOrWhiteSpace(lines[question - 1])) question--;
            var card = Assert.Single(chunk.Structure.Items, i => i.Kind == ItemKind.Flashcard);
            Assert.Equal(lines[question - 1].Trim(), card.Question);
            Assert.Equal(card.Id, chunk.ItemId);
        }
        // Every chunk of the note, a continued answer too, belongs to its card.
        Assert.All(chunks, c => Assert.StartsWith("card:", c.ItemId));
        Assert.Equal(separators.Count, chunks.Select(c => c.ItemId).Distinct().Count());
    }

    [SkippableFact]
    public void TheInterviewQuestionsOfTheNotesAreQaPairsAndTheWorkedExampleIsNot()
    {
        var lines = LinesOf(File(CompleteNotes));
        var chunks = corpus.ByFile[CompleteNotes];
        var asked = Enumerable.Range(1, lines.Length).Where(l => lines[l - 1].StartsWith("**Q: ", StringComparison.Ordinal)).ToList();
        Assert.True(asked.Count >= 10);
        var pairs = chunks.SelectMany(c => c.Structure!.Items).Where(i => i.Kind == ItemKind.QaPair).DistinctBy(i => i.Id).ToList();
        Assert.Equal(asked.Select(l => lines[l - 1].Trim()), pairs.Select(p => p.Question));
        foreach (var line in asked)
        {
            var chunk = chunks.First(c => c.StartLine <= line && c.EndLine >= line);
            Assert.Contains(chunk.Structure!.Blocks, b => b.FirstLine == line - chunk.StartLine && b.Role == BlockRole.QaQuestion);
        }
        var example = Array.FindIndex(lines, l => l.StartsWith("Question: Where is the cat?", StringComparison.Ordinal)) + 1;
        var around = chunks.First(c => c.StartLine <= example && c.EndLine >= example);
        Assert.DoesNotContain(around.Structure!.Blocks, b => b.Role != BlockRole.None);
    }

    [SkippableFact]
    public void ItemIdsHoldWhenTheNotesAreCutOtherwise()
    {
        var other = new Chunker(TestPieceCounter.Count, new ChunkerOptions { TargetPieces = 120, MergeSectionsUpTo = 0 });
        foreach (var f in corpus.Files)
        {
            var usual = ItemsOf(corpus.ByFile[f.RelativePath]);
            var recut = ItemsOf(other.Chunk(f, new List<IngestionWarning>()));
            // Cards and pairs are in both cuts under the same ids. A section that is only its heading line is in a chunk only
            // when joined with the next, which this cut never does: every other section is in both.
            Assert.Equal(usual.Where(i => !i.Key.StartsWith("section:")), recut.Where(i => !i.Key.StartsWith("section:")));
            Assert.Subset(usual.ToHashSet(), recut.ToHashSet());
        }
    }

    /// <summary>Each item of the chunks by its id, with what its id is made of.</summary>
    private static SortedDictionary<string, string> ItemsOf(IEnumerable<Chunk> chunks) =>
        new(chunks.SelectMany(c => c.Structure!.Items).DistinctBy(i => i.Id).ToDictionary(i => i.Id, i => $"{i.HeadingPath}\n{i.Question}"),
            StringComparer.Ordinal);

    [SkippableFact]
    public void NoDisplayFormulaIsCutBetweenChunks()
    {
        var checkedFormulas = 0;
        foreach (var f in corpus.Files)
        {
            var lines = LinesOf(f);
            var chunks = corpus.ByFile[f.RelativePath];
            foreach (var (start, end) in DisplayFormulas(lines))
            {
                checkedFormulas++;
                Assert.DoesNotContain(chunks, c =>
                    (c.StartLine <= start && c.EndLine >= start && c.EndLine < end) ||
                    (c.StartLine > start && c.StartLine <= end));
            }
        }
        Assert.True(checkedFormulas > 50, $"only {checkedFormulas} display formulas found");
    }

    /// <summary>$$...$$ spans (paired within each blank-line separated paragraph), as 1-based line ranges.</summary>
    private static IEnumerable<(int Start, int End)> DisplayFormulas(string[] lines)
    {
        var para = 0;
        for (var i = 0; i <= lines.Length; i++)
        {
            if (i < lines.Length && !string.IsNullOrWhiteSpace(lines[i])) continue;
            if (i > para)
            {
                var text = string.Join("\n", lines[para..i]);
                foreach (Match m in Regex.Matches(text, @"\$\$.*?\$\$", RegexOptions.Singleline))
                {
                    var s = para + 1 + text[..m.Index].Count(ch => ch == '\n');
                    var e = s + m.Value.Count(ch => ch == '\n');
                    yield return (s, e);
                }
            }
            para = i + 1;
        }
    }

    [SkippableFact]
    public void AtLeastNinetyPercentOfNonBlankLinesAreCovered()
    {
        var (covered, total) = (0, 0);
        foreach (var f in corpus.Files)
        {
            var (c, t) = Coverage(f);
            covered += c;
            total += t;
        }
        var share = (double)covered / total;
        output.WriteLine($"covered {covered} of {total} non-blank lines = {share:P1}");
        Assert.True(share >= 0.90, $"only {share:P1} of non-blank lines covered");
    }

    private (int Covered, int Total) Coverage(NoteFile f)
    {
        var lines = LinesOf(f);
        var isCovered = new bool[lines.Length + 1];
        foreach (var c in corpus.ByFile[f.RelativePath])
            for (var l = c.StartLine; l <= c.EndLine; l++) isCovered[l] = true;
        var nonBlank = Enumerable.Range(1, lines.Length).Where(l => !string.IsNullOrWhiteSpace(lines[l - 1])).ToList();
        return (nonBlank.Count(l => isCovered[l]), nonBlank.Count);
    }

    [SkippableFact]
    public void TableOfContentsLinesAreNotEmitted()
    {
        var lines = LinesOf(File(Script));
        var firstChapter = Array.FindIndex(lines, l => l.StartsWith("# A Gentle Introduction")) + 1;
        var toc = Enumerable.Range(1, firstChapter - 1).Where(l => Regex.IsMatch(lines[l - 1], @"^[^\t]+\t\d{1,3}\s*$")).ToList();
        Assert.True(toc.Count > 60, $"expected the script's table of contents, found {toc.Count} lines");
        Assert.DoesNotContain(corpus.ByFile[Script], c => toc.Any(l => l >= c.StartLine && l <= c.EndLine));
        Assert.DoesNotContain(corpus.ByFile[Script], c => c.EmbeddedText.Contains("Probability Concepts\t35"));

        // The other table of contents is a plain list under a "Table of Contents" heading.
        var notes = LinesOf(File(CompleteNotes));
        var tocHeading = Array.FindIndex(notes, l => l.Trim() == "## Table of Contents") + 1;
        var nextHeading = Array.FindIndex(notes, tocHeading, l => l.StartsWith('#')) + 1;
        Assert.DoesNotContain(corpus.ByFile[CompleteNotes], c => c.StartLine <= nextHeading - 1 && c.EndLine >= tocHeading);
    }

    [SkippableFact]
    public void HeadingPathsNameTheDocumentAndItsSections()
    {
        Assert.All(corpus.ByFile[Flashcards], c => Assert.Equal("Machine Learning 101 - Senior ML Engineer Edition", c.HeadingPath));
        Assert.Contains(corpus.ByFile[CompleteNotes], c => c.HeadingPath ==
            "Complete Machine Learning & Deep Learning Notes › 4. TRANSFORMERS & ATTENTION MECHANISMS › 4.3 Multi-Head Attention");
        // A bold numbered line that lost its '#' is still a heading.
        Assert.Contains(corpus.ByFile[CompleteNotes], c => c.HeadingPath.EndsWith("3. NEURAL NETWORK ARCHITECTURES › 3.2 Recurrent Neural Networks (RNNs)"));
        // The encyclopedia's one-paragraph sections share a chunk under their topic, each title embedded where it stands.
        Assert.Contains(corpus.ByFile[Encyclopedia], c => c.HeadingPath == "Machine Learning Encyclopedia › Types of Machine Learning"
            && c.EmbeddedText.StartsWith("Machine Learning Encyclopedia › Types of Machine Learning\nSupervised Learning\n", StringComparison.Ordinal)
            && c.EmbeddedText.Contains("\nUnsupervised Learning\n", StringComparison.Ordinal));
        Assert.Contains(corpus.ByFile["ml-interview-review.md"], c => c.HeadingPath ==
            "ML Fundamental Interview Review › CS 189 Notes › Ridge Regression");
        // Every chunk embeds its heading path first, so it stands on its own.
        Assert.All(corpus.All, c => Assert.StartsWith(c.HeadingPath.Split(" › ")[^1], c.EmbeddedText.Split('\n')[0].Split(" › ")[^1]));
        // No emphasis marks left in paths.
        Assert.DoesNotContain(corpus.All, c => c.HeadingPath.Contains("**"));
    }

    [SkippableFact]
    public void Report()
    {
        var total = 0;
        foreach (var f in corpus.Files)
        {
            var chunks = corpus.ByFile[f.RelativePath];
            var tokens = chunks.Select(c => c.Tokens).Order().ToList();
            var (covered, nonBlank) = Coverage(f);
            output.WriteLine($"{f.RelativePath,-26} chunks {chunks.Count,4}  tokens min {tokens[0],3} median {tokens[tokens.Count / 2],3} max {tokens[^1],3}  over 256: {tokens.Count(t => t > 256)}  covered {covered}/{nonBlank} = {(double)covered / nonBlank:P1}");
            total += chunks.Count;
        }
        var all = corpus.All.Select(c => c.Tokens).Order().ToList();
        output.WriteLine($"{"all",-26} chunks {total,4}  tokens min {all[0],3} median {all[all.Count / 2],3} max {all[^1],3}  over 256: {all.Count(t => t > 256)}");
        foreach (var w in corpus.ChunkWarnings) output.WriteLine("warning: " + w);
        // For looking at the chunks by eye: MLTUTOR_CHUNK_DUMP=/tmp/chunks.txt dotnet test ...
        if (Environment.GetEnvironmentVariable("MLTUTOR_CHUNK_DUMP") is { Length: > 0 } dump)
            System.IO.File.WriteAllLines(dump, corpus.All.Select(c =>
                $"=== {c.File}:{c.StartLine}-{c.EndLine} [{c.Tokens}] {c.Id}\n--- path: {c.HeadingPath}\n{c.EmbeddedText}"));
        Assert.Equal(0, all.Count(t => t > 256));
    }
}
