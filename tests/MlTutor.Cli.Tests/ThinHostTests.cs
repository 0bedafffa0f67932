using MlTutor.Cli;
using NetArchTest.Rules;

namespace MlTutor.Cli.Tests;

/// <summary>
/// The console host is wiring and rendering: it reaches the stages only through the tutor (MlTutor.Tutoring), and uses
/// their parts' results (reports, chunks, passages, answers) to show them, never the parts that do the work.
/// </summary>
public sealed class ThinHostTests
{
    /// <summary>The engine's working parts: composing them is the tutor's job.</summary>
    private static readonly string[] WorkingParts =
    [
        "MlTutor.Ingestion.CorpusReader", "MlTutor.Ingestion.Chunker", "MlTutor.Ingestion.ChunkPacker",
        "MlTutor.Embedding.MiniLmEncoder", "MlTutor.Embedding.MiniLmTokenizer",
        "MlTutor.Indexing.IndexBuilder", "MlTutor.Indexing.IndexFolder", "MlTutor.Indexing.NotesIndex", "MlTutor.Indexing.ChunkStore",
        "MlTutor.Indexing.KeywordIndex", "MlTutor.Indexing.FaissIndex",
        "MlTutor.Retrieval.DenseRetriever", "MlTutor.Retrieval.KeywordRetriever", "MlTutor.Retrieval.HybridRetriever",
        "MlTutor.Retrieval.CoverageGate", "MlTutor.Retrieval.PassageJoiner",
        "MlTutor.Retrieval.Evaluation.RetrievalEvaluator", "MlTutor.Retrieval.Evaluation.BeirEvaluator", "MlTutor.Retrieval.Evaluation.EvidenceLocator",
        "MlTutor.Answering.ExtractiveAnswerer", "MlTutor.Answering.ChatClientAnswerer", "MlTutor.Answering.EndpointChatClient",
        "MlTutor.Answering.FallbackAnswerer", "MlTutor.Answering.CitationCheck", "MlTutor.Answering.AnswerPrompt", "MlTutor.Answering.IAnswerer",
    ];

    [Fact]
    public void The_console_uses_no_working_part_of_the_engine()
    {
        var result = Types.InAssembly(typeof(UserException).Assembly)
            .ShouldNot().HaveDependencyOnAny(WorkingParts)
            .GetResult();

        Assert.True(result.IsSuccessful,
            "These console types use the engine's parts directly instead of the tutor (MlTutor.Tutoring.Tutor):\n  "
            + string.Join("\n  ", result.FailingTypeNames ?? []));
    }
}
