using System.Collections.Concurrent;
using MlTutor.Embedding;

namespace MlTutor.Answering;

/// <summary>
/// The sentence embedder an extractive answer ranks by, held to its contract: one vector per text, all of one size.
/// Vectors are remembered by text for the life of the answerer: the units of a passage are embedded again for every
/// question that retrieves it (a follow-up, a batch, an interview's next question), and a text's vector never changes.
/// </summary>
internal sealed class SentenceEmbedder(Func<IReadOnlyList<string>, float[][]> embed)
{
    /// <summary>Most texts remembered (a vector is 1.5 KB): beyond it the memory starts afresh rather than growing with a
    /// long session.</summary>
    internal const int RememberedTexts = 8192;

    private readonly ConcurrentDictionary<string, float[]> _remembered = new(StringComparer.Ordinal);

    public float[][] Embed(IReadOnlyList<string> inputs)
    {
        var result = new float[inputs.Count][];
        var missing = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
            if (!_remembered.TryGetValue(inputs[i], out result[i]!))
                missing.Add(inputs[i]);
        if (missing.Count == 0)
            return result;

        var distinct = missing.Distinct(StringComparer.Ordinal).ToList();
        var vectors = embed(distinct);
        if (vectors == null || vectors.Length != distinct.Count)
            throw new InvalidOperationException(
                $"the sentence embedder returned {vectors?.Length ?? 0} vectors for {distinct.Count} texts: it must return one vector per text");
        if (_remembered.Count + distinct.Count > RememberedTexts)
            _remembered.Clear();
        var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var j = 0; j < distinct.Count; j++)
        {
            byText[distinct[j]] = vectors[j];
            _remembered[distinct[j]] = vectors[j];
        }
        for (var i = 0; i < inputs.Count; i++)
            result[i] ??= byText[inputs[i]];
        return result;
    }

    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
            throw new InvalidOperationException($"the sentence embedder returned vectors of different sizes ({a.Length} and {b.Length})");
        return VectorMath.Cosine(a, b);
    }
}
