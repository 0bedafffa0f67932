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
}
