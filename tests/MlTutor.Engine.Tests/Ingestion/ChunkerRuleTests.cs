using System.Text;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>Each chunking rule on a small note made for it.</summary>
public sealed class ChunkerRuleTests
{
    private static (IReadOnlyList<Chunk> Chunks, List<IngestionWarning> Warnings) Run(string name, string text, ChunkerOptions? options = null)
    {
        var file = new NoteFile(name, text, "hash");
        var warnings = new List<IngestionWarning>();
        var chunks = new Chunker(TestPieceCounter.Count, options).Chunk(file, warnings);
        ChunkInvariants.Check(file, chunks, options?.MaxPieces ?? 256);
        return (chunks, warnings);
    }

    private static ChunkerOptions Small(int max, int target) =>
        new() { MaxPieces = max, TargetPieces = target, MaxHeadingPathPieces = max / 5, MaxContextPieces = max / 5, MergeSectionsUpTo = 0 };

    /// <summary>For tests of rules inside a section: every section its own chunks.</summary>
    private static readonly ChunkerOptions Apart = new() { MergeSectionsUpTo = 0 };

    private static bool Covers(Chunk c, int line) => c.StartLine <= line && c.EndLine >= line;

    [Fact]
    public void FrontMatterTitleLeadsEveryPathAndIsNotAChunk()
    {
        var (chunks, _) = Run("n.md", "---\ntitle: \"My *Learning* Notes\"\ntags: [ml]\n---\n\n# Intro\n\nGradient descent walks downhill.\n\n## **Momentum**:\n\nIt keeps a velocity.\n", Apart);
        Assert.Equal(2, chunks.Count);
        Assert.Equal("My Learning Notes › Intro", chunks[0].HeadingPath);
        Assert.Equal("My Learning Notes › Intro › Momentum", chunks[1].HeadingPath);
        Assert.DoesNotContain(chunks, c => c.StartLine <= 4);
        Assert.StartsWith("My Learning Notes › Intro › Momentum\nIt keeps a velocity.", chunks[1].EmbeddedText);
        // The heading line opens the chunk (so a citation shows it) but is embedded once, through the path.
        Assert.Equal(10, chunks[1].StartLine);
        Assert.DoesNotContain("## **Momentum**", chunks[1].EmbeddedText);
    }

    [Fact]
    public void FirstH1IsTheTitleWhenThereIsNoFrontMatter()
    {
        var (chunks, _) = Run("n.md", "# Deep Learning\n\nIntro words.\n\n## Attention\n\nQueries meet keys.\n");
        Assert.Equal(["Deep Learning", "Deep Learning › Attention"], chunks.Select(c => c.HeadingPath));
    }

    [Fact]
    public void WithoutMergingChunksNeverCrossAHeading()
    {
        var (chunks, _) = Run("n.md", "# T\n\n## A\n\nAlpha.\n\n## B\n\nBeta.\n\n### B1\n\nGamma.\n", new() { MergeSectionsUpTo = 0 });
        Assert.Equal(["T › A", "T › B", "T › B › B1"], chunks.Select(c => c.HeadingPath));
    }

    private const string Normalisation =
        "# Script\n\n## Normalisation\n\nScaling the inputs.\n\n### Batch Norm\n\nPer batch and feature.\n\n" +
        "### **Layer Norm**\n\nPer sample, over features.\n\n## Regularisation\n\nA penalty on the weights.\n\n### Dropout\n\nDrops units at random.\n";

    [Fact]
    public void SmallSectionsOfOneTopicShareAChunkUnderTheirCommonPath()
    {
        var (chunks, _) = Run("n.md", Normalisation);
        Assert.Equal(["Script › Normalisation", "Script › Regularisation"], chunks.Select(c => c.HeadingPath));
        var norm = chunks[0];
        Assert.Equal((3, 13), (norm.StartLine, norm.EndLine));
        // Each joined sub-heading is embedded where it stands, as plain words, so the chunk still says what each part is.
        Assert.Equal("Script › Normalisation\nScaling the inputs.\nBatch Norm\nPer batch and feature.\nLayer Norm\nPer sample, over features.",
            norm.EmbeddedText);
    }

    [Fact]
    public void SiblingsJoinUnderTheirParentButTopicsNeverJoin()
    {
        var text = "# Script\n\n## Normalisation\n\n### Batch Norm\n\nPer batch.\n\n### Layer Norm\n\nPer sample.\n\n" +
                   "## Regularisation\n\n### Dropout\n\nDrops units.\n";
        var (chunks, _) = Run("n.md", text);
        Assert.Equal(["Script › Normalisation", "Script › Regularisation"], chunks.Select(c => c.HeadingPath));
        Assert.StartsWith("Script › Normalisation\nBatch Norm\nPer batch.\nLayer Norm", chunks[0].EmbeddedText);
        Assert.Equal("Script › Regularisation\nDropout\nDrops units.", chunks[1].EmbeddedText);
    }

    [Fact]
    public void SectionsJoinOnlyWithinTheBudget()
    {
        var sentence = string.Join(" ", Enumerable.Repeat("gradient descent walks downhill", 20));
        var text = $"# Script\n\n## Optimisers\n\n### SGD\n\n{sentence}\n\n### Momentum\n\n{sentence}\n\n### Adam\n\n{sentence}\n";
        var (merged, _) = Run("n.md", text, new() { MergeSectionsUpTo = 200 });
        var (apart, _) = Run("n.md", text, new() { MergeSectionsUpTo = 60 });
        Assert.Equal(2, merged.Count);
        Assert.True(merged[0].Tokens <= 200, $"{merged[0].Tokens} pieces");
        Assert.Equal(3, apart.Count);
    }

    [Fact]
    public void MergingStaysWithinTheTargetAndNeverCutsASubSection()
    {
        var (chunks, _) = Run("n.md", Normalisation, new() { TargetPieces = 20, MergeSectionsUpTo = 200 });
        Assert.True(chunks.Count > 2);
        Assert.All(chunks, c => Assert.True(c.Tokens <= 20, $"{c.Tokens} pieces"));
        // What does not fit stays a section of its own, under its own path, starting at its heading.
        Assert.Contains(chunks, c => c.HeadingPath == "Script › Normalisation › Layer Norm" && c.StartLine == 11);
        Assert.All(chunks, c => Assert.StartsWith("#", c.Text));
    }

    [Fact]
    public void SectionsNeverJoinAcrossATableOfContentsOrAFlashcardsEnd()
    {
        var toc = "# Notes\n\n## Part 1\n\n### Contents\n\n- Intro .... 3\n- Foo .... 5\n- Bar .... 7\n\n### Intro\n\nSome text.\n";
        var (tocChunks, _) = Run("n.md", toc);
        Assert.DoesNotContain(tocChunks, c => c.Text.Contains("Foo ...."));

        var cards = "# Optimisers\n\n## SGD\n\nWhat does SGD do?\n\n???\n\nSteps along one example's gradient.\n\n---\n\n" +
                    "## Adam\n\nWhat does Adam keep?\n\n???\n\nTwo running averages.\n";
        var (cardChunks, _) = Run("n.md", cards);
        Assert.Equal(2, cardChunks.Count);
        Assert.DoesNotContain(cardChunks, c => c.Text.Contains("SGD do?") && c.Text.Contains("Adam keep?"));

        var broken = "# Notes\n\n## Optimisers\n\n### SGD\n\nOne example at a time.\n\n---\n\n### Adam\n\nTwo running averages.\n";
        var (brokenChunks, _) = Run("n.md", broken);
        Assert.Equal(2, brokenChunks.Count);
    }

    [Fact]
    public void ANoteWithoutATitleJoinsAParentAndItsChildToo()
    {
        var (chunks, _) = Run("n.md", "## Norms\n\nScaling.\n\n### Layer Norm\n\nPer sample.\n\n## Losses\n\nErrors.\n");
        Assert.Equal(["Norms", "Losses"], chunks.Select(c => c.HeadingPath));
        Assert.Equal("Norms\nScaling.\nLayer Norm\nPer sample.", chunks[0].EmbeddedText);
    }

    [Fact]
    public void EmptyHeadingsAreNotChunks()
    {
        var (chunks, _) = Run("n.md", "# T\n\n## Empty\n\n## Full\n\nText under full.\n\n#### \n\nMore text.\n");
        Assert.DoesNotContain(chunks, c => c.HeadingPath.EndsWith("Empty"));
        Assert.All(chunks, c => Assert.Equal("T › Full", c.HeadingPath));
        Assert.DoesNotContain(chunks, c => Covers(c, 3));
    }

    [Fact]
    public void SmallBlocksOfASectionArePackedUpToTheTarget()
    {
        var text = "# T\n\n" + string.Join("\n\n", Enumerable.Range(1, 12).Select(i => $"Sentence number {i} about optimisers.")) + "\n";
        var (chunks, _) = Run("n.md", text, Small(256, 60));
        Assert.InRange(chunks.Count, 2, 6);
        Assert.All(chunks, c => Assert.True(c.Tokens <= 60, $"{c.Tokens} pieces"));
    }

    [Fact]
    public void ListLeadInStaysWithItsItemsAndContinuationsCarryIt()
    {
        var items = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"- Item {i}: a regulariser that shrinks weights in its own way"));
        var text = $"# Regularisation\n\nA first paragraph.\n\nThe common penalties are:\n{items}\n";
        var (chunks, _) = Run("n.md", text, Small(96, 60));
        var leadIn = chunks.Single(c => Covers(c, 5));
        Assert.True(Covers(leadIn, 6), "the lead-in is separated from its first item");
        foreach (var c in chunks.Where(c => c.StartLine > 6))
        {
            Assert.StartsWith("- Item", c.Text); // cut at item boundaries
            Assert.Contains("The common penalties are:", c.EmbeddedText);
        }
        Assert.True(chunks.Count(c => c.StartLine > 6) >= 2);
    }

    [Fact]
    public void ATableIsNeverSplitWhenItFits()
    {
        var rows = string.Join("\n", Enumerable.Range(1, 8).Select(i => $"| model {i} | {2010 + i} | idea {i} |"));
        var text = $"# Models\n\nBefore the table.\n\n| Model | Year | Idea |\n|---|---|---|\n{rows}\n\nAfter the table.\n";
        var (chunks, _) = Run("n.md", text, Small(256, 40));
        var table = chunks.Single(c => Covers(c, 5));
        Assert.True(table.StartLine <= 5 && table.EndLine >= 14, $"table cut: {table.StartLine}-{table.EndLine}");
    }

    [Fact]
    public void ATableTooLargeIsSplitOnRowsWithItsHeaderCarriedAndAWarning()
    {
        var rows = string.Join("\n", Enumerable.Range(1, 40).Select(i => $"| model {i} | {1980 + i} | idea number {i} |"));
        var text = $"# Models\n\n| Model | Year | Idea |\n|---|---|---|\n{rows}\n";
        var (chunks, warnings) = Run("n.md", text, Small(96, 60));
        Assert.True(chunks.Count >= 3);
        Assert.All(chunks.Skip(1), c => Assert.Contains("| Model | Year | Idea |", c.EmbeddedText));
        Assert.Contains(warnings, w => w.File == "n.md" && w.Line == 3 && w.Message.Contains("table"));
    }

    [Fact]
    public void ACodeBlockIsNeverSplitWhenItFits()
    {
        var code = string.Join("\n", Enumerable.Range(1, 12).Select(i => $"x{i} = model.fit(data[{i}])"));
        var text = $"# Code\n\nFit it like this:\n\n```python\n{code}\n```\n\nDone.\n";
        var (chunks, _) = Run("n.md", text, Small(256, 40));
        var block = chunks.Single(c => Covers(c, 6));
        Assert.True(block.StartLine <= 5 && block.EndLine >= 18, $"code cut: {block.StartLine}-{block.EndLine}");
    }

    [Fact]
    public void AFormulaSpanningLinesIsNotCutEvenInsideALongParagraph()
    {
        var before = string.Join("\n", Enumerable.Range(1, 10).Select(i => $"Line {i} explains the loss in plain words."));
        var text = $"# Loss\n\n{before}\n$$L = \\sum_i (y_i -\n\\hat y_i)^2 +\n\\lambda \\|w\\|^2$$\n{before}\n";
        var (chunks, _) = Run("n.md", text, Small(80, 60));
        Assert.True(chunks.Count >= 2);
        Assert.DoesNotContain(chunks, c => (Covers(c, 13) && !Covers(c, 15)) || (Covers(c, 15) && !Covers(c, 13)));
    }

    [Fact]
    public void AFormulaKeepsTheSentenceThatIntroducesItAndATitleLineWhatItTitles()
    {
        // Each rule: a line naming it, a sentence saying what it does, then the rule on a line of its own.
        var rules = Enumerable.Range(1, 12).Select(i =>
            $"Update Rule {i}\n\nIt keeps a running average of order {i} for every weight.\n\n$$w_{{t+1}} = w_t - \\eta_{i} \\cdot g_t^{i}$$");
        var text = "# Optimisers\n\n" + string.Join("\n\n", rules) + "\n";
        var (chunks, _) = Run("n.md", text, Small(256, 70));
        var lines = text.Split('\n');
        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        foreach (var c in chunks)
            Assert.StartsWith("$$", lines[c.EndLine - 1]); // never after the name or the sentence, only after a rule
    }

    [Fact]
    public void AParagraphThatIntroducesAFormulaIsNotCutInsideWhenBothDoNotFit()
    {
        // Six wrapped lines of words, then a formula: each fits a chunk, the two together do not.
        var leadIn = string.Join("\n", Enumerable.Range(1, 6).Select(i => $"Line {i} of the words that explain the update rule below"));
        var terms = string.Join(" + ", Enumerable.Range(1, 12).Select(i => $"\\lambda_{{{i}}} \\|w_{{{i}}}\\|^2"));
        var text = $"# Updates\n\n{leadIn}\n\n$$L(w) = {terms}$$\n";
        var (chunks, _) = Run("n.md", text, Small(128, 110));
        Assert.True(chunks.Count >= 2, $"{chunks.Count} chunks");
        // Lines 3-8 are the paragraph: a chunk may end after it, never inside it.
        Assert.DoesNotContain(chunks, c => c.EndLine >= 3 && c.EndLine < 8);
    }

    [Theory]
    // Numbered stages, each a list of one item ending in ":", then a list of bullets saying what the stage does.
    [InlineData("{0}. Stage {0} of the pipeline:\n- reads the output of stage {1} from disk\n- writes a cleaned table for the next stage")]
    // A lead-in in bold, then the command it announces.
    [InlineData("**Stage {0} of the pipeline:**\n\n```\nrun --stage {0} --input stage{1}.csv --output clean{0}.csv\n```")]
    public void ABlockEndingInALeadInIsKeptWithWhatItAnnounces(string stage)
    {
        var stages = Enumerable.Range(1, 10).Select(i => string.Format(stage, i, i - 1));
        var text = "# Pipeline\n\n" + string.Join("\n\n", stages) + "\n";
        var (chunks, _) = Run("n.md", text, Small(256, 70));
        var lines = text.Split('\n');
        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        foreach (var c in chunks)
            Assert.False(lines[c.EndLine - 1].TrimEnd('*').EndsWith(':'), $"chunk {c.StartLine}-{c.EndLine} ends at a lead-in");
    }

    [Fact]
    public void ALineInAScriptWithoutCapitalsIsNoTitleLine()
    {
        // One-line paragraphs of Chinese have no capitals to read a title by: they pack to the target like any paragraphs.
        var lines = Enumerable.Range(1, 30).Select(i => $"第{i}条：学习率太大时，损失会来回震荡，训练难以收敛");
        var text = "# 优化\n\n" + string.Join("\n\n", lines) + "\n";
        var (chunks, _) = Run("n.md", text, Small(256, 80));
        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.True(c.Tokens <= 80, $"{c.Tokens} pieces in lines {c.StartLine}-{c.EndLine}"));
    }

    [Fact]
    public void TableOfContentsAndPageNumbersAreNotChunks()
    {
        var text = "# Script\n\nIntroduction\t1\nLinear Models\t5\nNeural Networks\t9\nAttention\t14\n\n# Introduction\n\nMachine learning learns from data.\n\n12\n\n# Linear Models\n\nA line through points.\n";
        var (chunks, _) = Run("n.md", text);
        Assert.DoesNotContain(chunks, c => c.StartLine <= 6);
        Assert.DoesNotContain(chunks, c => c.EmbeddedText.Contains("Attention"));
        Assert.DoesNotContain(chunks, c => c.Text.Trim() == "12" || c.EmbeddedText.EndsWith("\n12"));
        Assert.Equal(2, chunks.Count);
    }

    [Fact]
    public void ChaptersNamedInTheTableOfContentsOrderHeadingsWhoseLevelsAreMixedUp()
    {
        var text = "# Script\n\nLinear Regression\t3\nNeural Networks\t9\nAttention\t14\n\n#### Linear Regression\n\nFit a line.\n\n# Loss\n\nSquared error.\n\n" +
                   "# Neural Networks\n\nLayers of units.\n\n#### 2. Attention\n\nA numbered sub-section, not the chapter.\n";
        var (chunks, _) = Run("s.md", text, Apart);
        Assert.Equal(
            ["Script › Linear Regression", "Script › Linear Regression › Loss", "Script › Neural Networks", "Script › Neural Networks › 2. Attention"],
            chunks.Select(c => c.HeadingPath));
    }

    [Fact]
    public void FlashcardIsOneChunkAndLongAnswersKeepTheirQuestion()
    {
        var longAnswer = string.Join("\n\n", Enumerable.Range(1, 12).Select(i => $"Point {i}: dropout zeroes activations at random during training."));
        var text = "---\ntitle: Cards\n---\n\nWhat is overfitting?\n\n???\n\nFitting noise instead of signal.\n\n---\n\nWhat does dropout do?\n\n???\n\n" + longAnswer + "\n";
        var (chunks, _) = Run("cards.md", text, Small(96, 80));
        var first = chunks.Single(c => Covers(c, 5));
        Assert.True(Covers(first, 9));
        Assert.Equal("Cards", first.HeadingPath);
        var second = chunks.Where(c => c.StartLine > 11).ToList();
        Assert.True(second.Count >= 2);
        Assert.True(Covers(second[0], 13) && Covers(second[0], 17), "question and start of its answer apart");
        Assert.All(second, c => Assert.Contains("What does dropout do?", c.EmbeddedText));
        Assert.DoesNotContain(chunks, c => Covers(c, 11)); // the card separator
    }

    [Fact]
    public void PlainTextTitlesStartSections()
    {
        var text = "My ML Notes\n\nGradient Descent\nUpdate the weights against the gradient.\nRepeat until the loss stops falling.\n\nMomentum\nAdds a velocity term to each step.\n";
        var (chunks, _) = Run("notes.txt", text);
        Assert.Equal(["My ML Notes › Gradient Descent", "My ML Notes › Momentum"], chunks.Select(c => c.HeadingPath));
        Assert.Equal(3, chunks[0].StartLine);
        Assert.Equal(5, chunks[0].EndLine);
    }

    [Fact]
    public void PlainTextWrappedProseIsNotMistakenForTitles()
    {
        var text = "Notes\n\nThe learning rate controls how far each update moves the weights and\nThe Model Learns Slowly\nwhen it is too small, while a large one makes training diverge quickly.\n";
        var (chunks, _) = Run("notes.txt", text);
        var c = Assert.Single(chunks);
        Assert.Equal("Notes", c.HeadingPath);
        Assert.Contains("The Model Learns Slowly", c.EmbeddedText);
    }

    [Fact]
    public void PlainTextTablesStayWhole()
    {
        var text = "Comparison\n| Model | Params |\n|---|---|\n| LSTM | 4n |\n| GRU | 3n |\nGRU is simpler.\n";
        var (chunks, _) = Run("t.txt", text, Small(256, 20));
        var table = chunks.Single(c => Covers(c, 2));
        Assert.True(table.EndLine >= 5);
    }

    [Fact]
    public void ALineLongerThanTheEncoderReadsIsEmbeddedInWindowsThatCiteIt()
    {
        var line = string.Join(" ", Enumerable.Range(1, 400).Select(i => $"word{i}"));
        var (chunks, warnings) = Run("n.md", $"# Long\n\n{line}\n");
        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c => Assert.Equal((3, 3), (c.StartLine, c.EndLine)));
        Assert.Contains("word1 ", chunks[0].EmbeddedText);
        Assert.Contains("word400", chunks[^1].EmbeddedText);
        Assert.Contains(warnings, w => w.File == "n.md" && w.Line == 3);
        // Each part stores only its own stretch of the line, so storing the parts costs the line once, not once per part.
        Assert.Equal(line, string.Join(" ", chunks.Select(c => c.Text)));
        Assert.All(chunks, c => Assert.EndsWith(c.Text, c.EmbeddedText));
    }

    [Fact]
    public void ALineOfTooManyPartsIsEmbeddedOnlyInItsFirstPartsWithAWarningNamingIt()
    {
        var line = string.Join(" ", Enumerable.Range(1, 400).Select(i => $"word{i}"));
        var options = Small(64, 40) with { MaxLineParts = 3 };
        var (chunks, warnings) = Run("n.md", $"# Long\n\n{line}\n\nAfter the long line.\n", options);
        var parts = chunks.Where(c => c.StartLine == 3).ToList();
        Assert.Equal(3, parts.Count);
        Assert.StartsWith(string.Join(" ", parts.Select(c => c.Text)), line);
        Assert.Contains(chunks, c => c.Text.Contains("After the long line."));
        var warning = Assert.Single(warnings, w => w.Line == 3);
        Assert.Equal("n.md", warning.File);
        Assert.Contains("only its first 3 parts", warning.Message);
    }

    [Fact]
    public void WindowsLineEndingsKeepLineNumbers()
    {
        var (chunks, _) = Run("n.md", "# A\r\n\r\nFirst.\r\n\r\n# B\r\n\r\nSecond.\r\n");
        Assert.Equal([(1, 3), (5, 7)], chunks.Select(c => (c.StartLine, c.EndLine)));
        Assert.Equal("# A\n\nFirst.", chunks[0].Text);
    }

    [Fact]
    public void ClassicMacLineEndingsAreLinesToo()
    {
        var (chunks, warnings) = Run("cr.md", "# CR only\r\rBoosting builds trees sequentially.\rBagging averages them.\r");
        var chunk = Assert.Single(chunks);
        Assert.Equal((1, 4), (chunk.StartLine, chunk.EndLine));
        Assert.Equal("# CR only\n\nBoosting builds trees sequentially.\nBagging averages them.", chunk.Text);
        Assert.Contains("Bagging averages them.", chunk.EmbeddedText);
        Assert.Empty(warnings);
    }

    [Fact]
    public void AnUnclosedCodeFenceRunsToTheEndOfTheNoteWithAWarning()
    {
        var (chunks, warnings) = Run("f.md", "# Fence\n\n```python\nx = 1\nSome text after.\n");
        var chunk = Assert.Single(chunks);
        Assert.Equal((1, 5), (chunk.StartLine, chunk.EndLine));
        Assert.Contains("Some text after.", chunk.EmbeddedText);
        var warning = Assert.Single(warnings);
        Assert.Equal(("f.md", 3), (warning.File, warning.Line));
        Assert.Contains("never closed", warning.Message);
    }

    [Fact]
    public void AnUnclosedDollarBlockIsReadAsTextAndDoesNotSwallowTheNote()
    {
        var text = "# Math\n\n$$\na = b\nText after the formula.\n\n## Later\n\nMomentum keeps a velocity.\n";
        var (chunks, warnings) = Run("m.md", text, Apart);
        Assert.Equal([(1, 5), (7, 9)], chunks.Select(c => (c.StartLine, c.EndLine)));
        Assert.Contains("Text after the formula.", chunks[0].EmbeddedText);
        Assert.Equal("Math › Later", chunks[1].HeadingPath);
        var warning = Assert.Single(warnings);
        Assert.Equal(("m.md", 3), (warning.File, warning.Line));
        Assert.Contains("never closed", warning.Message);
    }

    [Fact]
    public void AClosedDollarBlockIsStillOneFormula()
    {
        var (chunks, warnings) = Run("m.md", "# Math\n\n$$\na = b\n$$\n\nText after the formula.\n", Small(24, 8));
        Assert.Empty(warnings);
        Assert.Contains(chunks, c => c.StartLine <= 3 && c.EndLine >= 5);
    }

    [Fact]
    public void SameNoteGivesSameIds()
    {
        var text = new StringBuilder("# T\n\n");
        for (var i = 0; i < 30; i++) text.Append($"Paragraph {i} on kernels.\n\n");
        var a = Run("n.md", text.ToString(), Small(64, 40)).Chunks.Select(c => c.Id);
        var b = Run("n.md", text.ToString(), Small(64, 40)).Chunks.Select(c => c.Id);
        Assert.Equal(a, b);
        var other = Run("m.md", text.ToString(), Small(64, 40)).Chunks.Select(c => c.Id);
        Assert.Empty(a.Intersect(other));
    }
}
