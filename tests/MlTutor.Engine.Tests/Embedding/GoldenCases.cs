using System.Text.Json;
using Xunit;

namespace MlTutor.Tests.Embedding;

/// <summary>
/// The reference cases shipped with the model (golden.json): texts with the token ids and the embeddings that
/// sentence-transformers itself produced for them.
/// </summary>
public static class GoldenCases
{
    public sealed record Case(int Index, string Text, int[] Ids, float[] Embedding);

    private static readonly Lazy<IReadOnlyList<Case>> Cases = new(Load);

    public static IReadOnlyList<Case> All => Cases.Value;

    /// <summary>Case indices for xunit theories, so each case shows up (and fails) on its own.</summary>
    public static IEnumerable<object[]> Indices => Enumerable.Range(0, All.Count).Select(i => new object[] { i });

    public static double Cosine(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    private static IReadOnlyList<Case> Load()
    {
        var path = Path.Combine(TestPaths.ModelDir, "golden.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
            .Select((c, i) => new Case(
                i,
                c.GetProperty("text").GetString()!,
                c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray()))
            .ToList();
    }
}
