using Xunit;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Tests.Retrieval;

public sealed class DiversifierTests
{
    private static ScoredChunk Hit(string id, string file, string text, float score) =>
        new(new Chunk(id, file, "", 1, 1, text, text, 0), score);

    private const string Dropout = "Dropout randomly sets a fraction of activations to zero during training, which prevents co-adaptation of neurons.";

    [Fact]
    public void Drops_a_near_duplicate_from_another_file_and_keeps_the_top_hit()
    {
        var ranked = new[]
        {
            Hit("script", "ml-script.md", Dropout, 0.9f),
            Hit("cards", "flashcards.md", "**Dropout** randomly sets a fraction of activations to zero during training — which prevents co-adaptation of neurons!", 0.85f),
            Hit("bn", "ml-script.md", "Batch normalisation rescales each layer's inputs to zero mean and unit variance.", 0.7f),
            Hit("l2", "ml-script.md", "Weight decay adds the squared norm of the weights to the loss.", 0.6f),
        };
        var kept = new Diversifier().Select(ranked, 3);
        Assert.Equal(["script", "bn", "l2"], kept.Select(h => h.Chunk.Id).ToArray());
    }

    [Fact]
    public void Containment_catches_a_passage_copied_inside_a_longer_one()
    {
        var longer = "Regularisation overview. " + Dropout + " Other methods include early stopping, data augmentation and weight decay, each limiting capacity differently.";
        var ranked = new[] { Hit("long", "a.md", longer, 1f), Hit("short", "b.md", Dropout, 0.9f) };
        Assert.Equal(2, new Diversifier().Select(ranked, 5).Count);
        var containment = new Diversifier(new DiversifierOptions { Measure = TextOverlap.Containment, MaxSimilarity = 0.8 });
        Assert.Equal(["long"], containment.Select(ranked, 5).Select(h => h.Chunk.Id).ToArray());
    }

    [Fact]
    public void Similarity_values_are_as_defined()
    {
        Assert.Equal(1.0, Diversifier.Similarity("A b c", "a, B; c!"));
        // Bigrams {a b, b c} vs {a b, b d}: 1 shared of 3.
        Assert.Equal(1 / 3.0, Diversifier.Similarity("a b c", "a b d"), 6);
        Assert.Equal(2 / 4.0, Diversifier.Similarity("a b c", "a b d", shingleSize: 1), 6);
        Assert.Equal(0.0, Diversifier.Similarity("", "a b"));
    }
}
