using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>What ingestion read of a note goes with its chunks: the blocks of each chunk and what they belong to.</summary>
public sealed class ChunkStructureTests
{
    private static IReadOnlyList<Chunk> Run(string name, string text, ChunkerOptions? options = null)
    {
        var file = new NoteFile(name, text, "hash");
        var chunks = new Chunker(TestPieceCounter.Count, options).Chunk(file, new List<IngestionWarning>());
        ChunkInvariants.Check(file, chunks, options?.MaxPieces ?? 256);
        return chunks;
    }

    private static ChunkBlock B(BlockKind kind, int first, int last, BlockRole role = BlockRole.None) => new(kind, first, last, role);

    private const string Sample = """
        # Optimisation

        Gradient descent walks downhill.

        Three variants:
        - Batch
        - Stochastic
          - one sample at a time

        | Optimizer | Memory |
        |---|---|
        | Adam | 2x |

        $$
        w = w - \eta g
        $$

        ```python
        w -= lr * g
        ```

        > Start with Adam.

        **Q: Why normalise the inputs?**

        A: Features on one scale make the loss surface rounder.
        """;

    [Fact]
    public void EachBlockOfANoteIsCarriedWithItsKindAndLines()
    {
        var chunk = Assert.Single(Run("opt.md", Sample));
        Assert.Equal(
        [
            B(BlockKind.Heading, 0, 0),
            B(BlockKind.Paragraph, 2, 2),
            B(BlockKind.Paragraph, 4, 4),
            B(BlockKind.ListItem, 5, 5),
            B(BlockKind.ListItem, 6, 7),
            B(BlockKind.Table, 9, 11),
            B(BlockKind.Formula, 13, 15),
            B(BlockKind.Code, 17, 19),
            B(BlockKind.Quote, 21, 21),
            B(BlockKind.Paragraph, 23, 23, BlockRole.QaQuestion),
            B(BlockKind.Paragraph, 25, 25, BlockRole.QaAnswer),
        ], chunk.Structure!.Blocks);
        var section = chunk.Structure.Items[0];
        Assert.Equal((ItemKind.Section, "Optimisation", 0, 25), (section.Kind, section.HeadingPath, section.FirstLine, section.LastLine));
        var pair = chunk.Structure.Items[1];
        Assert.Equal((ItemKind.QaPair, "**Q: Why normalise the inputs?**", 23, 25), (pair.Kind, pair.Question, pair.FirstLine, pair.LastLine));
        Assert.Equal(2, chunk.Structure.Items.Count);
        // The chunk opens with the heading, in the section.
        Assert.Equal(section.Id, chunk.ItemId);
    }

    [Fact]
    public void ALineInTheSecondOfTwoJoinedSectionsIsUnderThatSectionsHeading()
    {
        var (dropout, stopping) = Run("reg.md", "# Regularization\n\n## Dropout\n\nDropout zeroes random activations.\n\n## Early stopping\n\nStop when validation loss stalls.\n") switch
        {
            [var a, var b] => (a, b),
            var other => throw new InvalidOperationException($"{other.Count} chunks"),
        };
        // Retrieval joins neighbouring chunks into one passage (see PassageJoiner): its heading is the first chunk's.
        var offset = stopping.StartLine - dropout.StartLine;
        var chunk = dropout with { EndLine = stopping.EndLine, Structure = dropout.Structure!.Then(stopping.Structure!, offset) };
        Assert.Equal("Regularization › Dropout", chunk.HeadingPath);
        Assert.Equal("Regularization › Dropout", chunk.HeadingPathAt(2));
        Assert.Equal("Regularization › Early stopping", chunk.HeadingPathAt(offset + 2));
        // A chunk whose structure is unknown (a benchmark's passage) has only its own heading.
        Assert.Equal(chunk.HeadingPath, (chunk with { Structure = null }).HeadingPathAt(8));
    }

    [Fact]
    public void AFlashcardsQuestionSeparatorAndAnswerAreMarkedWithTheCardsQuestion()
    {
        var text = "---\ntitle: Cards\n---\n\nWhat is overfitting?\n\n???\n\nFitting noise instead of signal.\n\n- It shows as a gap between training and validation loss.\n";
        var chunk = Assert.Single(Run("cards.md", text));
        Assert.Equal(
        [
            B(BlockKind.Paragraph, 0, 0, BlockRole.FlashcardQuestion),
            B(BlockKind.FlashcardSeparator, 2, 2),
            B(BlockKind.Paragraph, 4, 4, BlockRole.FlashcardAnswer),
            B(BlockKind.ListItem, 6, 6, BlockRole.FlashcardAnswer),
        ], chunk.Structure!.Blocks);
        var card = Assert.Single(chunk.Structure.Items, i => i.Kind == ItemKind.Flashcard);
        Assert.Equal(("What is overfitting?", "Cards", 0, 6), (card.Question, card.HeadingPath, card.FirstLine, card.LastLine));
        Assert.Equal(card.Id, chunk.ItemId);
    }

    [Fact]
    public void AFlashcardWrittenWithoutEmptyLinesIsStillAQuestionSeparatorAndAnswer()
    {
        var text = "# Cards\n\nWhat is a hyperparameter,\nand who sets it?\n???\nA setting chosen before training.\n\n---\n\nWhat is a parameter?\n???\nA weight learned from the data.\n";
        var chunks = Run("cards.md", text);
        var first = chunks.Single(c => c.StartLine == 1);
        Assert.Equal(
        [
            B(BlockKind.Heading, 0, 0),
            B(BlockKind.Paragraph, 2, 3, BlockRole.FlashcardQuestion),
            B(BlockKind.FlashcardSeparator, 4, 4),
            B(BlockKind.Paragraph, 5, 5, BlockRole.FlashcardAnswer),
        ], first.Structure!.Blocks);
        Assert.Equal("What is a hyperparameter, and who sets it?", Assert.Single(first.Structure.Items, i => i.Kind == ItemKind.Flashcard).Question);
        var second = chunks.Single(c => c.StartLine == 10);
        Assert.Equal("What is a parameter?", Assert.Single(second.Structure!.Items, i => i.Kind == ItemKind.Flashcard).Question);
        Assert.StartsWith("card:", second.ItemId);
    }

    [Theory]
    [InlineData("My cards for the exam, kept short.\n\n# Cards\n\nWhat is overfitting?\n???\nFitting noise instead of signal.\n")]
    [InlineData("# Cards\n\nMy cards for the exam, kept short.\n\nWhat is overfitting?\n???\nFitting noise instead of signal.\n")]
    [InlineData("# Cards\n\nMy cards for the exam.\n\nWhat is overfitting?\n\n???\n\nFitting noise instead of signal.\n")]
    public void TextAboveANotesFirstCardIsNotPartOfItsQuestion(string text)
    {
        var chunk = Assert.Single(Run("cards.md", text), c => c.Structure!.Items.Any(i => i.Kind == ItemKind.Flashcard));
        var card = Assert.Single(chunk.Structure!.Items, i => i.Kind == ItemKind.Flashcard);
        Assert.Equal("What is overfitting?", card.Question);
        Assert.Equal("What is overfitting?", chunk.Text.Split('\n')[card.FirstLine]);
    }

    [Fact]
    public void AQuestionShowingAListUnderItKeepsTheList()
    {
        var text = "# Cards\n\nWhich of these is convex?\n\n- squared loss\n- 0-1 loss\n\n???\n\nSquared loss.\n";
        var card = Assert.Single(Run("cards.md", text).SelectMany(c => c.Structure!.Items), i => i.Kind == ItemKind.Flashcard);
        Assert.StartsWith("Which of these is convex?", card.Question);
        Assert.Contains("0-1 loss", card.Question);
    }

    [Fact]
    public void AChunkContinuingALongAnswerKeepsItsCardsQuestionAndId()
    {
        var longAnswer = string.Join("\n\n", Enumerable.Range(1, 12).Select(i => $"Point {i}: dropout zeroes activations at random during training."));
        var text = "---\ntitle: Cards\n---\n\nWhat does dropout do?\n\n???\n\n" + longAnswer + "\n";
        var options = new ChunkerOptions { MaxPieces = 96, TargetPieces = 80, MaxHeadingPathPieces = 19, MaxContextPieces = 19, MergeSectionsUpTo = 0 };
        var chunks = Run("cards.md", text, options);
        Assert.True(chunks.Count >= 2);
        Assert.Single(chunks.Select(c => c.ItemId).Distinct());
        var later = chunks[^1];
        Assert.All(later.Structure!.Blocks, b => Assert.Equal(BlockRole.FlashcardAnswer, b.Role));
        Assert.Equal("What does dropout do?", Assert.Single(later.Structure.Items, i => i.Kind == ItemKind.Flashcard).Question);
    }

    [Fact]
    public void AQuestionAndItsAnswerInOneParagraphArePartedAtTheAnswerLabel()
    {
        var text = "# Interview\n\nQ: What does batch norm normalise?\nA: Each feature over the batch.\nIt keeps activations in range.\n\nQ: And layer norm?\n\nA: Each sample over its features.\n\nIt does not depend on the batch.\n";
        var chunk = Assert.Single(Run("qa.md", text));
        Assert.Equal(
        [
            B(BlockKind.Heading, 0, 0),
            B(BlockKind.Paragraph, 2, 2, BlockRole.QaQuestion),
            B(BlockKind.Paragraph, 3, 4, BlockRole.QaAnswer),
            B(BlockKind.Paragraph, 6, 6, BlockRole.QaQuestion),
            B(BlockKind.Paragraph, 8, 8, BlockRole.QaAnswer),
            // The answer runs on to the next question or the section's end.
            B(BlockKind.Paragraph, 10, 10, BlockRole.QaAnswer),
        ], chunk.Structure!.Blocks);
        Assert.Equal(["Q: What does batch norm normalise?", "Q: And layer norm?"],
            chunk.Structure.Items.Where(i => i.Kind == ItemKind.QaPair).Select(i => i.Question));
    }

    [Fact]
    public void AWorkedExampleWithQuestionAndAnswerLabelsIsNoQaPair()
    {
        // From the notes on BERT: the labels show the task's input and output, no question of the note's own.
        var text = "# BERT\n\nQuestion: Where is the cat?  \nContext: The cat is on the mat.  \nAnswer: \"on the mat\"\n\nQ: a question without an answer\n\nMore prose.\n";
        var chunk = Assert.Single(Run("bert.md", text));
        Assert.DoesNotContain(chunk.Structure!.Items, i => i.Kind == ItemKind.QaPair);
        Assert.All(chunk.Structure.Blocks, b => Assert.Equal(BlockRole.None, b.Role));
    }

    [Fact]
    public void APlainTextNoteHasItsTitlesParagraphsAndTables()
    {
        var text = "My ML Notes\n\nGradient Descent\nUpdate the weights against the gradient.\nRepeat until the loss stops falling.\n\n| Optimizer | Memory |\n| Adam | 2x |\n";
        var chunk = Assert.Single(Run("notes.txt", text));
        Assert.Equal([B(BlockKind.Heading, 0, 0), B(BlockKind.Paragraph, 1, 2), B(BlockKind.Table, 4, 5)], chunk.Structure!.Blocks);
    }

    [Fact]
    public void StructuresFollowingEachOtherAreOneWithAnItemBothHoldOnce()
    {
        var section = new NoteItem("section:0123456789ab", ItemKind.Section, "Notes", null, 0, 2);
        var first = new ChunkStructure([B(BlockKind.Heading, 0, 0), B(BlockKind.Paragraph, 2, 2)], [section]);
        var next = new ChunkStructure([B(BlockKind.Paragraph, 0, 1)], [section with { LastLine = 1 }, new NoteItem("qa:ba9876543210", ItemKind.QaPair, "Notes", "Q: Why?", 1, 1)]);

        var both = first.Then(next, 4);

        Assert.Equal([B(BlockKind.Heading, 0, 0), B(BlockKind.Paragraph, 2, 2), B(BlockKind.Paragraph, 4, 5)], both.Blocks);
        Assert.Equal([section with { LastLine = 5 }, new NoteItem("qa:ba9876543210", ItemKind.QaPair, "Notes", "Q: Why?", 5, 5)], both.Items);
        Assert.Equal(section.Id, both.ItemId);
    }

    [Fact]
    public void EachPartOfALineLongerThanTheEncoderReadsIsThatLinesBlock()
    {
        var line = string.Join(" ", Enumerable.Range(1, 400).Select(i => $"word{i}"));
        var chunks = Run("n.md", $"# Long\n\n{line}\n");
        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c => Assert.Equal([B(BlockKind.Paragraph, 0, 0)], c.Structure!.Blocks));
        Assert.Single(chunks.Select(c => c.ItemId).Distinct());
    }
}
