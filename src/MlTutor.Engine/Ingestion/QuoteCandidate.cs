using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>
/// A piece of passages of the notes (a sentence, list item, row or formula) as an answer may quote it and a grade may
/// take it as a claim, and, once paired, the unit quoted with it: its companion, its list's further items, its table's
/// further rows or its paragraph's further sentences.
/// </summary>
/// <remarks>A class, not a record: units refer to each other, and equality means "the same piece".</remarks>
internal sealed partial class QuoteCandidate(int passage, int order, NoteSentence sentence)
{
    /// <summary>The passage the piece is in: its retrieval rank, or its place among the chunks an item lies in.</summary>
    public int Passage { get; } = passage;

    /// <summary>Where the piece stands in its passage, counting the pieces skipped as repeats.</summary>
    public int Order { get; } = order;

    public NoteSentence Sentence { get; } = sentence;

    /// <summary>Nothing but empty lines stands between the piece and the one before it in its passage: however many,
    /// the two are next to each other (notes converted from other formats often leave several).</summary>
    public bool OnlyBlankLinesBefore { get; init; }
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

    /// <summary>The further items of a list of short items, the further rows of a table, or the further sentences of a
    /// paragraph, quoted with this one (its first) as one unit.</summary>
    public IReadOnlyList<QuoteCandidate> Members { get; init; } = [];

    /// <summary>The lead-in, heading or table header the unit's meaning depends on ("Underfitting" over its list, a row's
    /// header): quoted with it, and shared by the other units under it, so that it never stops them being quoted.</summary>
    public QuoteCandidate? Label { get; set; }

    /// <summary>The nearest heading above the piece in its passage, if any: the label a unit takes when the question
    /// needs what it is about said ("He initialization" over "- Variance = 2 / fan_in").</summary>
    public QuoteCandidate? HeadingAbove { get; set; }

    /// <summary>Where a list item stands in its list (or a row in its table, for a tutor answer), so that an answer quoting
    /// only some items can say where others are left out; null for a piece that is no item of a list of several.</summary>
    public ListPlace? List { get; set; }

    /// <summary>For a list item: the display formula right above its list, whose symbols such a list says ("- s_t: the
    /// state after step t"); null when no formula stands there.</summary>
    public QuoteCandidate? FormulaAbove { get; set; }

    /// <summary>A paragraph quoted whole: sentences, not the items of a list.</summary>
    public bool IsWholeParagraph => Members.Count > 0 && List is null;

    /// <summary>A table quoted whole: its rows under their header.</summary>
    public bool IsWholeTable => Members.Count > 0 && Sentence.Kind == SentenceKind.TableRow;

    /// <summary>A single sentence that says what its subject is ("Dropout is a regularization technique…", "Perplexity
    /// measures…", "RAG refers to…"): a definition's first unit. A whole paragraph defines when one of its sentences does.</summary>
    public bool Defines => IsWholeParagraph ? Pieces.Any(p => DefiningSentence().IsMatch(p.Sentence.Text))
        : Members.Count == 0 && DefiningSentence().IsMatch(Sentence.Text);

    /// <summary>Every piece the unit quotes: its label, itself, its companion and its list's further items or its
    /// paragraph's further sentences.</summary>
    public IEnumerable<QuoteCandidate> Pieces =>
        (Label is null ? [] : new[] { Label }).Concat(Companion is null ? [this] : new[] { this, Companion }).Concat(Members);

    /// <summary>The pieces the unit quotes of its own: not its label, nor the piece it points back to.</summary>
    public IEnumerable<QuoteCandidate> OwnPieces =>
        Pieces.Where(p => !ReferenceEquals(p, Label) && !(LeansOnCompanion && ReferenceEquals(p, Companion)));

    /// <summary>The text the unit is judged by: the lead-in and what it announces read together. A sentence that points
    /// back is judged by its own words (the piece it points to is judged as itself, and is read with it in place).</summary>
    public string UnitText
    {
        get
        {
            // A list's items are read as items; a paragraph's sentences as the prose they are.
            var own = Members.Count == 0 ? Sentence.Text : string.Join(IsWholeParagraph ? " " : "; ", Members.Prepend(this).Select(m => m.Sentence.Text));
            var withCompanion = Companion is null || LeansOnCompanion ? own
                : Companion.Order < Order ? $"{Companion.Sentence.Text} {own}" : $"{own} {Companion.Sentence.Text}";
            return Label is null ? withCompanion : $"{Label.Sentence.Text} {withCompanion}";
        }
    }

    /// <summary>The unit with the pieces around it in its passage: what it says read in place.</summary>
    public string Window { get; set; } = "";

    /// <summary>The unit holds math: a display formula, inline TeX or a math symbol, in it or its companion.</summary>
    public bool HasMath => Sentence.HasMath || Companion?.Sentence.HasMath == true;

    public int UnitLength => Pieces.Sum(p => p.Sentence.Text.Length);

    [GeneratedRegex(@"^[^.:;]{1,80}?\b(?:is|are|refers to|means|stands for|measures|describes)\s+(?:a|an|the|when|how|used|defined|one|any)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DefiningSentence();
}

/// <summary>A list item's (or table row's) place: the order of its list's first item (which names the list in its
/// passage), its index and how many items the list has; whether every item of the list opens with the term it is about
/// (<see cref="NoteSentence.Term"/>), so that each item answers alone as a table's row does.</summary>
internal sealed record ListPlace(int FirstOrder, int Index, int Count, bool OfTerms = false);
