using MlTutor.Answering;
using MlTutor.Embedding;

namespace MlTutor.Tutoring;

/// <summary>
/// Finds where an answer states a key point's relation with its terms reversed: a clause names what the key point is
/// about by a term only that point has (its anchor, "bias") and says of it a term that the notes use only in another
/// point (that point's own term, "overfitting"), standing where this point has a term alike in meaning that the clause
/// lacks ("underfitting"), while no key point of the notes puts the anchor and the term together. Words are compared by
/// the sentence encoder; a word's vector is computed once per grading.
/// </summary>
internal sealed class ReversedRelations(Func<IReadOnlyList<string>, float[][]> embed, double swapSimilarity, double siblingSimilarity,
    IReadOnlyList<TermWords> notes, float[][] noteVectors)
{
    private readonly Dictionary<string, float[]> _wordVectors = new(StringComparer.Ordinal);

    /// <summary>The first clause that reverses <paramref name="point"/>, or null.</summary>
    public Contradiction? Against(int at, IReadOnlyList<(string Text, TermWords Terms)> clauses)
    {
        var point = notes[at];
        var siblings = Enumerable.Range(0, notes.Count)
            .Where(j => j != at && VectorMath.Cosine(noteVectors[at], noteVectors[j]) >= siblingSimilarity).Select(j => notes[j]).ToList();
        foreach (var (text, clause) in clauses)
            foreach (var other in siblings)
            {
                var anchors = clause.Terms.Where(t => point.Contains(t) && !other.Contains(t)).ToList();
                if (anchors.Count == 0) continue;
                foreach (var said in clause.Terms.Where(t => other.Contains(t) && !point.Contains(t) && Telling(t)))
                {
                    if (!anchors.Any(a => !notes.Any(n => n.Contains(a) && n.Contains(said)))) continue;
                    var lacking = point.Terms.Where(t => !clause.Contains(t) && !other.Contains(t) && Telling(t)).ToList();
                    var replaced = lacking.FirstOrDefault(t => Similarity(clause.WordOf(said), point.WordOf(t)) >= swapSimilarity);
                    if (replaced is not null) return new Contradiction(text, clause.WordOf(said), point.WordOf(replaced));
                }
            }
        return null;
    }

    /// <summary>A term that can carry a claim: not a lone letter or a bare number, which formulas are full of.</summary>
    private static bool Telling(string term) => term.Length >= 2 && !term.All(char.IsDigit);

    private double Similarity(string a, string b) => VectorMath.Cosine(Vector(a), Vector(b));

    private float[] Vector(string word)
    {
        if (!_wordVectors.TryGetValue(word, out var v))
            _wordVectors[word] = v = embed([word])[0];
        return v;
    }
}
