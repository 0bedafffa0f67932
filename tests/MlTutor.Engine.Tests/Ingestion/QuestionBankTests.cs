using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>The question bank is read from the chunks' structure: flashcards, Q/A pairs and headings written as questions.</summary>
public sealed class QuestionBankTests
{
    [Fact]
    public void The_bank_holds_each_question_the_notes_answer_once_with_its_lines_and_kind()
    {
        const string text = "# Kernels\n\n## What is a kernel?\n\nA kernel computes a dot product in a feature space.\n\n"
            + "Q: **Why use the kernel trick?**\n\nA: It avoids computing the features.\n\n## Margins\n\nThe margin is the gap between classes.\n";
        var file = new NoteFile("svm.md", text, "hash");
        var chunks = new Chunker(TestPieceCounter.Count).Chunk(file, new List<IngestionWarning>());

        var bank = QuestionBank.Of([.. chunks, .. chunks]);

        Assert.Equal([("What is a kernel?", "heading", 3), ("Why use the kernel trick?", "qa", 7)],
            bank.Select(q => (q.Question, q.KindName, q.StartLine)));
        Assert.All(bank, q => Assert.Equal("svm.md", q.File));
        Assert.Contains("What is a kernel?", bank[0].HeadingPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_question_carries_the_claims_of_its_answer_as_key_points_with_their_lines()
    {
        const string text = "# Regularization\n\nQ: What does dropout do?\n\nA: Dropout zeroes random units while training. "
            + "At inference every unit is kept.\n\nUses:\n- CNNs\n- MLPs\n\n## Weight decay\n\nWeight decay adds the squared weights to the loss.\n";
        var chunks = new Chunker(TestPieceCounter.Count).Chunk(new NoteFile("reg.md", text, "hash"), new List<IngestionWarning>());

        var question = Assert.Single(QuestionBank.Of(chunks));

        Assert.Equal("What does dropout do?", question.Question);
        // The answer's sentences, and its list with its lead-in, each on its own lines; not the question, nor the section after.
        Assert.Equal(
            [("Dropout zeroes random units while training.", 5, 5), ("At inference every unit is kept.", 5, 5), ("Uses: CNNs; MLPs", 7, 9)],
            question.KeyPoints.Select(k => (k.Text, k.StartLine, k.EndLine)));
        Assert.Equal(["Uses: CNNs", "Uses: MLPs"], question.KeyPoints[2].Items);
        Assert.All(chunks.SelectMany(c => c.Structure!.Items).Where(i => i.Kind == ItemKind.Section), i => Assert.Empty(i.KeyPoints));
    }

    [Fact]
    public void An_answer_cut_into_several_chunks_is_one_question_with_the_key_points_of_all_of_them()
    {
        var answer = Enumerable.Range(1, 12).Select(i => $"Point {i}: dropout zeroes activations at random during training step {i}.").ToList();
        var text = "---\ntitle: Cards\n---\n\nWhat does dropout do?\n\n???\n\n" + string.Join("\n\n", answer) + "\n";
        var options = new ChunkerOptions { MaxPieces = 96, TargetPieces = 80, MaxHeadingPathPieces = 19, MaxContextPieces = 19, MergeSectionsUpTo = 0 };
        var chunks = new Chunker(TestPieceCounter.Count, options).Chunk(new NoteFile("cards.md", text, "hash"), new List<IngestionWarning>());
        Assert.True(chunks.Count >= 2);

        var question = Assert.Single(QuestionBank.Of(chunks));

        var lastLine = chunks[^1].EndLine;
        Assert.Equal(lastLine, question.EndLine);
        Assert.Contains(question.KeyPoints, k => k.Text.StartsWith("Point 1:") && k.StartLine == 9);
        Assert.Contains(question.KeyPoints, k => k.Text.StartsWith("Point 12:") && k.EndLine == lastLine);
        // Stored once, on the item in the chunk the question opens.
        Assert.Single(chunks.SelectMany(c => c.Structure!.Items), i => i.KeyPoints.Count > 0);
    }
}
