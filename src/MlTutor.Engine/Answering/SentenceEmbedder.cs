using MlTutor.Embedding;

namespace MlTutor.Answering;

/// <summary>The sentence embedder an extractive answer ranks by, held to its contract: one vector per text, all of one size.</summary>
internal sealed class SentenceEmbedder(Func<IReadOnlyList<string>, float[][]> embed)
{
    public float[][] Embed(IReadOnlyList<string> inputs)
    {
        var vectors = embed(inputs);
        if (vectors == null || vectors.Length != inputs.Count)
            throw new InvalidOperationException(
                $"the sentence embedder returned {vectors?.Length ?? 0} vectors for {inputs.Count} texts: it must return one vector per text");
        return vectors;
    }

    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
            throw new InvalidOperationException($"the sentence embedder returned vectors of different sizes ({a.Length} and {b.Length})");
        return VectorMath.Cosine(a, b);
    }
}
