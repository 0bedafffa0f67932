using MlTutor.Embedding;

namespace MlTutor.Tests.Ingestion;

/// <summary>
/// Counts the word pieces the all-MiniLM-L6-v2 encoder makes of a text ([CLS] and [SEP] included, no truncation),
/// with the encoder's own tokenizer, as the index does.
/// </summary>
public static class TestPieceCounter
{
    private static readonly MiniLmTokenizer Tokenizer = MiniLmTokenizer.FromModelDirectory(TestPaths.ModelDir);

    public static int Count(string text) => Tokenizer.CountPieces(text);
}
