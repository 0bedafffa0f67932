using System.Text.Json;
using System.Text.RegularExpressions;
using MlTutor.Embedding;
using Xunit;
using Xunit.Abstractions;

namespace MlTutor.Tests.Embedding;

public class EncoderBenchmarkTests(EncoderFixture encoders, ITestOutputHelper output) : IClassFixture<EncoderFixture>
{
    [Fact]
    public void Measures_the_same_pieces_and_padding_as_the_batches_it_runs()
    {
        var texts = GoldenCases.All.Select(c => c.Text).Where(t => t.Length < 400).ToList();

        var result = EncoderBenchmark.Run(encoders.Int8, texts, queries: texts.Take(20).ToList());

        Assert.Equal(texts.Count, result.Chunks);
        Assert.Equal(texts.Sum(t => (long)encoders.Int8.Tokenizer.Encode(t).Length), result.Pieces);
        Assert.StartsWith("all-MiniLM-L6-v2 int8", result.Model);
        Assert.InRange(result.PaddingFraction, 0.0, 0.5);
        Assert.True(result.PipelinePiecesPerSecond > 0 && result.BarePiecesPerSecond > 0);
        Assert.True(result.QueryP50Ms > 0 && result.QueryP50Ms <= result.QueryP99Ms);
        Assert.True(result.PeakRssMb > 50, "the model alone is tens of MB");
    }

    [SkippableFact(Skip = "Measurement over the user's notes, minutes long: run it by hand (remove Skip) on a quiet machine.")]
    public void Corpus_paragraphs()
    {
        var texts = Directory.GetFiles(SharedFolder.Require("corpus")).Order()
            .SelectMany(f => Regex.Split(File.ReadAllText(f).Replace("\r\n", "\n"), @"\n[ \t]*\n"))
            .Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        foreach (var encoder in new[] { encoders.Fp32, encoders.Int8 })
            output.WriteLine(JsonSerializer.Serialize(EncoderBenchmark.Run(encoder, texts)));
    }
}
