using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>
/// The ids of sections, flashcards and Q/A pairs come from their file and their own words: they hold while the note is
/// edited elsewhere or cut differently, and change when the item's question does.
/// </summary>
public sealed class ItemIdTests
{
    private const string Notes = """
        # Deep Learning

        Notes for the exam.

        ## Regularisation

        Dropout zeroes random activations during training.

        **Q: Why does dropout prevent overfitting?**

        A: Units cannot rely on each other, so the network learns redundant features.

        ## Optimisers

        Adam keeps running averages of the gradient and of its square.

        Q: What does momentum add?
        A: A velocity that smooths the steps.
        """;

    private const string Cards = "---\ntitle: Cards\n---\n\nWhat is overfitting?\n\n???\n\nFitting noise instead of signal.\n\n---\n\nWhat does dropout do?\n\n???\n\nIt zeroes random activations.\n";

    private static readonly ChunkerOptions Tiny = new() { MaxPieces = 48, TargetPieces = 24, MaxHeadingPathPieces = 9, MaxContextPieces = 9, MergeSectionsUpTo = 0 };

    private static IReadOnlyList<Chunk> Chunk(string text, string file = "dl.md", ChunkerOptions? options = null)
    {
        var note = new NoteFile(file, text, "hash");
        var chunks = new Chunker(TestPieceCounter.Count, options).Chunk(note, new List<IngestionWarning>());
        ChunkInvariants.Check(note, chunks, options?.MaxPieces ?? 256);
        return chunks;
    }

    /// <summary>Every item of the note, whichever chunks it lies in: its id by what it is and what it asks.</summary>
    private static Dictionary<string, string> Ids(IReadOnlyList<Chunk> chunks) =>
        chunks.SelectMany(c => c.Structure!.Items)
            .GroupBy(i => $"{i.Kind} {i.HeadingPath} {i.Question}")
            .ToDictionary(g => g.Key, g => Assert.Single(g.Select(i => i.Id).Distinct()));

    [Fact]
    public void EverySectionCardAndPairHasAnIdOfItsKind()
    {
        var ids = Ids(Chunk(Notes));
        Assert.Equal(5, ids.Count);
        Assert.Matches("^section:[0-9a-f]{12}$", ids["Section Deep Learning › Regularisation "]);
        Assert.Matches("^qa:[0-9a-f]{12}$", ids["QaPair Deep Learning › Optimisers Q: What does momentum add?"]);
        Assert.All(Ids(Chunk(Cards, "cards.md")).Where(i => i.Key.StartsWith("Flashcard")), i => Assert.StartsWith("card:", i.Value));
    }

    [Fact]
    public void IdsHoldWhenLinesAreAddedAboveAndBelow()
    {
        var before = Ids(Chunk(Notes));
        var edited = Notes
            .Replace("## Regularisation\n", "## Regularisation\n\nA new first paragraph about weight decay.\n")
            .Replace("Adam keeps", "RMSProp came first.\n\nAdam keeps")
            + "\n\nA closing remark.\n\n## Schedules\n\nWarm-up, then cosine decay.\n";
        var after = Ids(Chunk(edited));
        Assert.All(before, item => Assert.Equal(item.Value, after[item.Key]));
        Assert.Equal(before.Count + 1, after.Count);
    }

    [Fact]
    public void IdsHoldWhenTheChunkerIsSetOtherwise()
    {
        var usual = Chunk(Notes);
        var tiny = Chunk(Notes, options: Tiny);
        Assert.True(tiny.Count > usual.Count);
        Assert.Equal(Ids(usual), Ids(tiny));
        Assert.Equal(Ids(Chunk(Cards, "cards.md")), Ids(Chunk(Cards, "cards.md", Tiny)));
    }

    [Fact]
    public void AnIdChangesWithItsQuestionItsHeadingsAndItsFile()
    {
        var before = Ids(Chunk(Notes));
        var question = Ids(Chunk(Notes.Replace("What does momentum add?", "What does momentum add to SGD?")));
        Assert.NotEqual(before["QaPair Deep Learning › Optimisers Q: What does momentum add?"],
            question["QaPair Deep Learning › Optimisers Q: What does momentum add to SGD?"]);
        Assert.Equal(before["Section Deep Learning › Optimisers "], question["Section Deep Learning › Optimisers "]);

        var renamed = Ids(Chunk(Notes.Replace("## Optimisers", "## Optimizers")));
        Assert.NotEqual(before["Section Deep Learning › Optimisers "], renamed["Section Deep Learning › Optimizers "]);
        Assert.Equal(before["Section Deep Learning › Regularisation "], renamed["Section Deep Learning › Regularisation "]);

        Assert.DoesNotContain(Ids(Chunk(Notes, "other.md")).Values, before.Values.Contains);
    }

    [Fact]
    public void IdenticalCardsUnderOneHeadingGetDistinctIdsInNoteOrder()
    {
        var card = "What is overfitting?\n\n???\n\nFitting noise instead of signal.\n";
        var chunks = Chunk($"---\ntitle: Cards\n---\n\n{card}\n---\n\n{card}\n---\n\n{card}", "cards.md");
        var ids = chunks.Where(c => c.ItemId!.StartsWith("card:")).Select(c => c.ItemId!).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal([ids[0], ids[0] + "-2", ids[0] + "-3"], ids);
        Assert.Matches("^card:[0-9a-f]{12}$", ids[0]);
    }

    [Fact]
    public void TwoSectionsWithTheSameHeadingsAreTwoSections()
    {
        var chunks = Chunk("# Models\n\n## Example\n\nA linear model.\n\n## Example\n\nA tree.\n", options: new ChunkerOptions { MergeSectionsUpTo = 0 });
        var ids = chunks.Select(c => c.ItemId!).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0] + "-2", ids[1]);
    }
}
