namespace MlTutor.Cli.Tests;

/// <summary><c>chunks --json</c>: each chunk with the stable id of the section, flashcard or Q/A pair it opens in.</summary>
public sealed class ChunksTests
{
    private static List<(string ChunkId, string ItemId, int StartLine)> Chunks(string corpus, string note)
    {
        var result = CliRunner.Run("chunks", "--json", "--corpus", corpus, note);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.JsonLines()
            .Select(c => (c.GetProperty("chunkId").GetString()!, c.GetProperty("itemId").GetString()!, c.GetProperty("startLine").GetInt32()))
            .ToList();
    }

    [Fact]
    public void Each_chunk_carries_an_item_id_that_holds_when_lines_are_added_above_it()
    {
        var corpus = CliRunner.CopyOfSampleNotes();
        var before = Chunks(corpus, "flashcards.md");
        Assert.All(before, c => Assert.Matches("^(section|card|qa):[0-9a-f]{12}(-[0-9]+)?$", c.ItemId));
        var cards = before.Where(c => c.ItemId.StartsWith("card:")).ToList();
        Assert.True(cards.Count >= 3);

        // A new card above the others moves them down: their chunk ids change with their lines, their item ids do not.
        var path = Path.Combine(corpus, "flashcards.md");
        var text = File.ReadAllText(path);
        var firstCard = text.IndexOf("\n\n", StringComparison.Ordinal) + 2;
        File.WriteAllText(path, text.Insert(firstCard, "What does a learning rate schedule do?\n???\nIt changes the step size as training goes on.\n\n---\n\n"));
        var after = Chunks(corpus, "flashcards.md");

        Assert.Subset(after.Select(c => c.ItemId).ToHashSet(), cards.Select(c => c.ItemId).ToHashSet());
        Assert.Empty(after.Select(c => c.ChunkId).Intersect(cards.Select(c => c.ChunkId)));
    }
}
