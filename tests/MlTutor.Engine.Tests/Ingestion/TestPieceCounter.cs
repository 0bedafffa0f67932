using Microsoft.ML.Tokenizers;

namespace MlTutor.Tests.Ingestion;

/// <summary>
/// Counts the word pieces the all-MiniLM-L6-v2 encoder makes of a text ([CLS] and [SEP] included, no truncation),
/// with the model's own vocabulary. The engine's encoder tokenizer takes its place once it is wired in.
/// </summary>
public static class TestPieceCounter
{
    private static readonly BertTokenizer Tokenizer = BertTokenizer.Create(
        Path.Combine(TestPaths.Shared, "models", "all-MiniLM-L6-v2", "vocab.txt"),
        new BertOptions { LowerCaseBeforeTokenization = true });

    public static int Count(string text) =>
        Tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true).Count + 2;
}
