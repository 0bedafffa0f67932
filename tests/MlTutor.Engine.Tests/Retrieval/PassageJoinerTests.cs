using MlTutor.Ingestion;
using MlTutor.Retrieval;
using MlTutor.Tests.Ingestion;
using Xunit;

namespace MlTutor.Tests.Retrieval;

/// <summary>Joining neighbouring chunks into passages, on chunks the real chunker cut from small notes.</summary>
public sealed class PassageJoinerTests
{
    // Four sections, each its own chunk. Between them: one empty line, two empty lines, then a rule.
    private const string Note = "# Bag of words\n\nA document becomes a vector of word counts.\n\n"
        + "## Cons\n\n- High dimensionality\n- No word order\n\n\n"
        + "## Variants\n\nTF-IDF weighs rare words up.\n\n---\n\n"
        + "## Code\n\nUse CountVectorizer.\n";

    private static readonly string[] NoteLines = Note.Split('\n');

    private static IReadOnlyList<Chunk> Chunks(string text)
    {
        var file = new NoteFile("bow.md", text, "hash");
        var chunks = new Chunker(TestPieceCounter.Count, new ChunkerOptions { MergeSectionsUpTo = 0 }).Chunk(file, new List<IngestionWarning>());
        ChunkInvariants.Check(file, chunks);
        return chunks;
    }

    private static IReadOnlyList<ScoredChunk> Ranked(IReadOnlyList<Chunk> chunks, params int[] order) =>
        order.Select((c, rank) => new ScoredChunk(chunks[c], 1f - rank * 0.1f)).ToList();

    private static string LinesOf(int start, int end) => string.Join("\n", NoteLines[(start - 1)..end]);

    [Fact]
    public void A_passage_carries_the_blocks_and_sections_of_its_chunks_at_their_lines_in_it()
    {
        var chunks = Chunks(Note);
        var passage = new PassageJoiner().Join([new ScoredChunk(chunks[1], 1f), new ScoredChunk(chunks[0], 0.9f)]).Single().Chunk;

        Assert.Equal(
        [
            new ChunkBlock(BlockKind.Heading, 0, 0), new ChunkBlock(BlockKind.Paragraph, 2, 2),
            new ChunkBlock(BlockKind.Heading, 4, 4), new ChunkBlock(BlockKind.ListItem, 6, 6), new ChunkBlock(BlockKind.ListItem, 7, 7),
        ], passage.Structure!.Blocks);
        Assert.Equal([("Bag of words", 0, 2), ("Bag of words › Cons", 4, 7)],
            passage.Structure.Items.Select(i => (i.HeadingPath, i.FirstLine, i.LastLine)));
        Assert.Equal(chunks[0].ItemId, passage.ItemId);
    }

    [Fact]
    public void The_note_is_cut_into_four_chunks_with_their_empty_lines_counted()
    {
        var chunks = Chunks(Note);
        Assert.Equal(4, chunks.Count);
        Assert.Equal([1, 2, 1, 0], chunks.Select(c => c.BlankLinesAfter ?? -1).ToArray());
    }

    [Fact]
    public void Neighbours_near_the_top_become_one_passage_at_the_better_place_with_the_notes_exact_lines()
    {
        var chunks = Chunks(Note);
        // The opening ranks first, a chunk of another note second, the cons (its neighbour) third.
        var other = new ScoredChunk(new Chunk("other", "other.md", "", 1, 1, "Word2Vec", "Word2Vec", 3, 0), 0.95f);
        var ranked = new[] { new ScoredChunk(chunks[0], 1f), other, new ScoredChunk(chunks[1], 0.9f) };

        var joined = new PassageJoiner().Join(ranked);

        Assert.Equal(2, joined.Count);
        var passage = joined[0];
        Assert.Equal(1f, passage.Score);
        Assert.Equal($"{chunks[0].Id}+{chunks[1].Id}", passage.Chunk.Id);
        Assert.Equal((chunks[0].StartLine, chunks[1].EndLine), (passage.Chunk.StartLine, passage.Chunk.EndLine));
        Assert.Equal(LinesOf(passage.Chunk.StartLine, passage.Chunk.EndLine), passage.Chunk.Text);
        Assert.Equal(chunks[0].HeadingPath, passage.Chunk.HeadingPath);
        Assert.Equal(chunks[1].BlankLinesAfter, passage.Chunk.BlankLinesAfter);
        Assert.Same(other, joined[1]);
    }

    [Fact]
    public void A_neighbour_ranked_first_takes_in_the_chunk_before_it_and_the_text_stays_in_line_order()
    {
        var chunks = Chunks(Note);
        // Two empty lines between the cons and the variants.
        var joined = new PassageJoiner().Join(Ranked(chunks, 2, 1));
        var passage = Assert.Single(joined);
        Assert.Equal($"{chunks[1].Id}+{chunks[2].Id}", passage.Chunk.Id);
        Assert.Equal(LinesOf(chunks[1].StartLine, chunks[2].EndLine), passage.Chunk.Text);
        Assert.Contains("- No word order\n\n\n## Variants", passage.Chunk.Text);
    }

    [Fact]
    public void A_rule_between_two_chunks_keeps_them_apart()
    {
        var chunks = Chunks(Note);
        Assert.Equal(2, new PassageJoiner().Join(Ranked(chunks, 2, 3)).Count);
    }

    [Fact]
    public void A_line_of_spaces_between_two_chunks_keeps_them_apart()
    {
        var chunks = Chunks("# A\n\nFirst fact about gradients.\n   \n## B\n\nSecond fact about gradients.\n");
        Assert.Equal(2, chunks.Count);
        Assert.Equal(0, chunks[0].BlankLinesAfter);
        Assert.Equal(2, new PassageJoiner().Join(Ranked(chunks, 0, 1)).Count);
    }

    [Fact]
    public void A_neighbour_below_the_depth_stays_apart()
    {
        var chunks = Chunks(Note);
        var filler = Enumerable.Range(0, 3).Select(i => new ScoredChunk(new Chunk($"f{i}", $"f{i}.md", "", 1, 1, "x", "x", 3, 0), 0.5f));
        var ranked = new[] { new ScoredChunk(chunks[0], 1f) }.Concat(filler).Append(new ScoredChunk(chunks[1], 0.4f)).ToList();

        Assert.Equal(5, new PassageJoiner(new PassageJoinerOptions { Depth = 4 }).Join(ranked).Count);
        Assert.Equal(4, new PassageJoiner(new PassageJoinerOptions { Depth = 5 }).Join(ranked).Count);
        Assert.Equal(ranked, new PassageJoiner(new PassageJoinerOptions { Depth = 0 }).Join(ranked));
    }

    [Fact]
    public void A_passage_holds_at_most_MaxChunks_and_a_chunk_between_two_passages_makes_them_one()
    {
        var chunks = Chunks(Note);
        // The opening and the variants rank first and second, the cons between them third.
        var ranked = Ranked(chunks, 0, 2, 1);

        var two = new PassageJoiner().Join(ranked);
        Assert.Equal([$"{chunks[0].Id}+{chunks[1].Id}", chunks[2].Id], two.Select(p => p.Chunk.Id).ToArray());

        var three = Assert.Single(new PassageJoiner(new PassageJoinerOptions { MaxChunks = 3 }).Join(ranked));
        Assert.Equal(string.Join('+', chunks.Take(3).Select(c => c.Id)), three.Chunk.Id);
        Assert.Equal(LinesOf(chunks[0].StartLine, chunks[2].EndLine), three.Chunk.Text);
        Assert.Equal(1f, three.Score);
    }

    [Fact]
    public void Parts_of_an_over_long_line_are_never_joined()
    {
        var longLine = string.Join(" ", Enumerable.Range(0, 400).Select(i => $"word{i}"));
        var chunks = Chunks($"# Long\n\n{longLine}\n\n## Next\n\nA short closing line.\n");
        var parts = chunks.Where(c => c.BlankLinesAfter is null).ToList();
        Assert.True(parts.Count >= 2);
        var ranked = chunks.Select((c, i) => new ScoredChunk(c, 1f - i * 0.01f)).ToList();
        Assert.Equal(chunks.Count, new PassageJoiner(new PassageJoinerOptions { MaxChunks = 10 }).Join(ranked).Count);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassageJoiner(new PassageJoinerOptions { Depth = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassageJoiner(new PassageJoinerOptions { MaxChunks = 0 }));
    }
}
