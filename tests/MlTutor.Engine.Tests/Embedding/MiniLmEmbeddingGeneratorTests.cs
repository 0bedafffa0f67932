using Microsoft.Extensions.AI;
using MlTutor.Embedding;
using Xunit;

namespace MlTutor.Tests.Embedding;

public class MiniLmEmbeddingGeneratorTests(EncoderFixture encoders) : IClassFixture<EncoderFixture>
{
    [Fact]
    public async Task Returns_the_encoders_vectors_in_order()
    {
        using var generator = new MiniLmEmbeddingGenerator(encoders.Fp32);
        var cases = GoldenCases.All.Take(12).ToList();

        var embeddings = await generator.GenerateAsync(cases.Select(c => c.Text));

        var expected = encoders.Fp32.Embed(cases.Select(c => c.Text).ToList());
        Assert.Equal(cases.Count, embeddings.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            Assert.Equal(expected[i], embeddings[i].Vector.ToArray());
            Assert.True(GoldenCases.Cosine(embeddings[i].Vector.ToArray(), cases[i].Embedding) >= 0.9999);
            Assert.Equal("all-MiniLM-L6-v2", embeddings[i].ModelId);
        }
    }

    [Fact]
    public async Task Works_through_the_abstractions_extension_methods()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = new MiniLmEmbeddingGenerator(encoders.Fp32);
        var golden = GoldenCases.All[6];

        var vector = await generator.GenerateVectorAsync(golden.Text);

        Assert.True(GoldenCases.Cosine(vector.ToArray(), golden.Embedding) >= 0.9999);
    }

    [Fact]
    public void Describes_itself_with_model_and_dimensions()
    {
        using var generator = new MiniLmEmbeddingGenerator(encoders.Fp32);

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(MiniLmEmbeddingGenerator.ProviderName, metadata.ProviderName);
        Assert.Same(encoders.Fp32, generator.GetService<MiniLmEncoder>());
    }

    [Fact]
    public async Task Refuses_another_dimension()
    {
        using var generator = new MiniLmEmbeddingGenerator(encoders.Fp32);

        await Assert.ThrowsAsync<NotSupportedException>(() =>
            generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 768 }));
    }
}
