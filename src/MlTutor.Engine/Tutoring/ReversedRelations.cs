using MlTutor.Embedding;

namespace MlTutor.Tutoring;

/// <summary>
/// Finds where an answer states two parallel key points with their terms swapped ("BERT is the decoder and GPT is the
/// encoder", "high bias is overfitting … high variance is when the model is too simple"). Two key points are parallel
/// when the encoder finds them alike (<c>siblingSimilarity</c>), as "BERT: …, encoder-only" and "GPT: …, decoder-only"
/// are. A point's own terms are those the other lacks: the first is its anchor (what it is about, "BERT"), the rest what
/// it says of it ("encoder"). The answer reverses the pair when one clause names the first point's anchor, and not the
/// second's, with a term only the second point has, and another clause does the same the other way round. A clause that
/// names the other point's anchor is about that point ("L1, lasso, adds the absolute values"), whatever else it shares. A one-way swap is not
/// counted: a paraphrase often puts a near-synonym in a term's place, but it does not trade the terms of two claims. The two
/// words traded must be alike to the encoder (<c>swapSimilarity</c>): the terms of one kind that the two claims contrast.
/// </summary>
internal sealed class ReversedRelations(Func<IReadOnlyList<string>, float[][]> embed, double siblingSimilarity, double swapSimilarity,
    IReadOnlyList<TermWords> notes, float[][] noteVectors)
{
    private readonly Dictionary<string, float[]> _wordVectors = new(StringComparer.Ordinal);

    /// <summary>The clause that reverses the key point at <paramref name="at"/> (with its sibling), or null.</summary>
    public Contradiction? Against(int at, IReadOnlyList<(string Text, TermWords Terms)> clauses)
    {
        var point = notes[at];
        for (var j = 0; j < notes.Count; j++)
        {
            if (j == at || VectorMath.Cosine(noteVectors[at], noteVectors[j]) < siblingSimilarity) continue;
            var other = notes[j];
            var mine = Swapped(point, other, clauses);
            var theirs = Swapped(other, point, clauses);
            // "BERT is the decoder" (mine) and "GPT is the encoder" (theirs): the answer says "decoder" where the notes say
            // "encoder". One clause that names both points says how they relate, which is no swap.
            // The two words traded are alike in meaning, as "encoder" and "decoder" are, or "overfitting" and "underfitting".
            foreach (var m in mine)
                foreach (var t in theirs)
                    if (t.Clause != m.Clause && Similarity(m.Said, t.Said) >= swapSimilarity)
                        return new Contradiction(clauses[m.Clause].Text, m.Said, t.Said);
        }
        return null;
    }

    /// <summary>A clause that names <paramref name="point"/>'s anchor, and not <paramref name="other"/>'s, with a term only
    /// <paramref name="other"/> has.</summary>
    /// <returns>Each such clause's index and the word it says.</returns>
    private static List<(int Clause, string Said)> Swapped(TermWords point, TermWords other, IReadOnlyList<(string Text, TermWords Terms)> clauses)
    {
        var found = new List<(int, string)>();
        if (Anchor(point, other) is not { } anchor) return found;
        var otherAnchor = Anchor(other, point);
        for (var c = 0; c < clauses.Count; c++)
        {
            var clause = clauses[c].Terms;
            if (!clause.Contains(anchor) || (otherAnchor is not null && clause.Contains(otherAnchor))) continue;
            found.AddRange(clause.Terms.Where(t => Telling(t) && other.Contains(t) && !point.Contains(t)).Select(t => (c, clause.WordOf(t))));
        }
        return found;
    }

    /// <summary>What <paramref name="point"/> is about, as against <paramref name="other"/>: the first telling term it has
    /// and the other lacks.</summary>
    private static string? Anchor(TermWords point, TermWords other) => point.InOrder.FirstOrDefault(t => Telling(t) && !other.Contains(t));

    private double Similarity(string a, string b) => VectorMath.Cosine(Vector(a), Vector(b));

    /// <summary>A word's vector, computed once per grading.</summary>
    private float[] Vector(string word)
    {
        if (!_wordVectors.TryGetValue(word, out var v))
            _wordVectors[word] = v = embed([word])[0];
        return v;
    }

    /// <summary>A term that can carry a claim: not a lone letter or a bare number, which formulas are full of.</summary>
    private static bool Telling(string term) => term.Length >= 2 && !term.All(char.IsDigit);
}
