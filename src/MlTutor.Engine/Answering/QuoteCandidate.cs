namespace MlTutor.Answering;

/// <summary>
/// A piece of the retrieved passages (a sentence, list item, row or formula) as the extractive answerer may quote it,
/// and, once paired, the unit quoted with it: its companion and its list's further items.
/// </summary>
/// <remarks>A class, not a record: units refer to each other, and equality means "the same piece".</remarks>
internal sealed class QuoteCandidate(int passage, int order, NoteSentence sentence)
{
    /// <summary>The retrieval rank of the passage the piece is in.</summary>
    public int Passage { get; } = passage;

    /// <summary>Where the piece stands in its passage, counting the pieces skipped as repeats.</summary>
    public int Order { get; } = order;

    public NoteSentence Sentence { get; } = sentence;
    public double Score { get; set; }

    /// <summary>Which piece of the passages this is. A list's unit is a new candidate over its first item, so
    /// "the same piece" is told by this, not by reference.</summary>
    public (int Passage, int Order) Key => (Passage, Order);

    /// <summary>The piece quoted together with this one: the formula, item or row a lead-in announces, the lead-in of
    /// a formula, or the sentence a referring one ("This is…") points back to.</summary>
    public QuoteCandidate? Companion { get; set; }

    /// <summary>The companion is the piece this one points back to ("This is known as…"): quoted already, it is
    /// not quoted again, and this one may still be.</summary>
    public bool LeansOnCompanion { get; set; }

    /// <summary>The further items of a list of short items, quoted with this one (its first item) as one unit.</summary>
    public IReadOnlyList<QuoteCandidate> Members { get; init; } = [];

    /// <summary>Every piece the unit quotes: itself, its companion and its list's further items.</summary>
    public IEnumerable<QuoteCandidate> Pieces => (Companion is null ? [this] : new[] { this, Companion }).Concat(Members);

    /// <summary>The text the unit is judged by: the lead-in and what it announces read together. A sentence that points
    /// back is judged by its own words (the piece it points to is judged as itself, and is read with it in place).</summary>
    public string UnitText
    {
        get
        {
            var own = Members.Count == 0 ? Sentence.Text : string.Join("; ", Members.Prepend(this).Select(m => m.Sentence.Text));
            return Companion is null || LeansOnCompanion ? own
                : Companion.Order < Order ? $"{Companion.Sentence.Text} {own}" : $"{own} {Companion.Sentence.Text}";
        }
    }

    /// <summary>The unit with the pieces around it in its passage: what it says read in place.</summary>
    public string Window { get; set; } = "";

    /// <summary>The unit holds math: a display formula, inline TeX or a math symbol, in it or its companion.</summary>
    public bool HasMath => Sentence.HasMath || Companion?.Sentence.HasMath == true;

    public int UnitLength => Pieces.Sum(p => p.Sentence.Text.Length);
}
