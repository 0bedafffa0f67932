namespace MlTutor.Embedding;

/// <summary>Arithmetic on embedding vectors.</summary>
public static class VectorMath
{
    /// <summary>The cosine of the angle between two vectors of one length; 0 when either is all zeros.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"vectors of different lengths ({a.Length} and {b.Length})");
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
