using System.Text.RegularExpressions;
using MlTutor.Ingestion;

namespace MlTutor.Answering;

/// <summary>
/// Scores the quotable units against a question and picks the best few that fit the answer's budget: by the sentence
/// embedder when there is one (cosine similarity), otherwise by shared rare words.
/// </summary>
/// <param name="embedder">Null ranks by shared words.</param>
/// <param name="budget">Approximate length of the quoted part of an answer, in characters.</param>
internal sealed partial class QuoteSelection(SentenceEmbedder? embedder, int budget)
{
    // Weights measured on the dev questions (cited evidence vs. cited lines), not fitted to any one question.
    /// <summary>Share of a unit's score that comes from reading it with its neighbouring pieces.</summary>
    private const double WindowWeight = 0.3;

    /// <summary>How far below the best unit the second unit, and the further ones, may score and still be quoted.</summary>
    private const double SecondUnitGap = 0.20, FurtherUnitGap = 0.12;

    /// <summary>How far below the second unit's threshold the best formula may score and still be quoted for a question
    /// that asks for one.</summary>
    private const double FormulaGap = 0.20;

    /// <summary>What a unit of the kind a question asks for (a definition, a reason, a whole list) gains in score.</summary>
    private const double KindWeight = 0.05;

    /// <summary>How many units of the first passage are quoted when no unit shares a word with the question.</summary>
    private const int OpeningUnits = 2;

    /// <summary>The most sentences of a paragraph quoted to reach the formula after a quoted one.</summary>
    private const int MaxSentencesBeforeFormula = 2;

    /// <summary>How far over the budget an answer may go to quote a list, table or paragraph whole rather than in part.</summary>
    private const double WholeUnitStretch = 1.25;

    /// <summary>How far below a quoted sentence or table row its whole paragraph or table may score and still be quoted
    /// instead.</summary>
    private const double WholeUnitGap = 0.05;

    /// <summary>Scores the candidates and picks the best few that fit the budget.</summary>
    /// <param name="reach">An answer to read, or a reference of what a full answer says.</param>
    public List<QuoteCandidate> Choose(string question, List<QuoteCandidate> candidates, QuoteReach reach)
    {
        var lexical = LexicalScores(question, candidates);
        var maxLexical = lexical.Max();

        double strong, weak;
        if (embedder != null)
            (strong, weak) = ScoreByMeaning(question, candidates, lexical, maxLexical, reach.RankPenalty, embedder);
        else if (maxLexical > 0)
            (strong, weak) = ScoreByWords(candidates, lexical, maxLexical);
        else
        {
            // No word in common: retrieval still judged the first passage relevant, so quote its opening.
            for (var i = 0; i < candidates.Count; i++)
                candidates[i].Score = -candidates[i].Passage * 1000.0 - candidates[i].Order;
            var first = candidates.Where(c => c.Passage == candidates[0].Passage).ToList();
            return TakeWithinBudget(first, double.MinValue, double.MinValue, reach with { MaxUnits = OpeningUnits });
        }
        var kind = QuestionKinds.Of(question);
        var sides = kind == QuestionKind.Comparison ? QuestionKinds.Sides(question) : null;
        for (var i = 0; i < candidates.Count; i++)
            candidates[i].Score += KindBonus(kind, candidates[i]);
        if (sides is var (a, b))
            FavourTheContrast(candidates, a, b);
        var ranked = candidates.OrderByDescending(c => c.Score).ToList();
        var chosen = WholeUnitsOf(TakeWithinBudget(ranked, strong, weak, reach), candidates, LexicalRelevance.Terms(question).ToHashSet());
        if (AsksForFormula(kind, question))
        {
            AddFormulaBesideQuotedWords(chosen, candidates);
            // Any display formula quoted, beside the words that match the question or on its own score, is one of the
            // topic's: another, named a little better, would be a neighbouring one.
            if (!chosen.Any(c => c.Pieces.Any(p => p.Sentence.Kind == SentenceKind.Formula)))
                AddNamedFormula(chosen, ranked, candidates, lexical, weak);
        }
        if (sides is var (sideA, sideB))
            CoverBothSides(chosen, ranked, [sideA, sideB], weak);
        if (kind == QuestionKind.Quantity && !chosen.Any(c => Counted().IsMatch(c.UnitText)))
            AddCount(chosen, ranked, weak);
        return chosen;
    }

    /// <summary>Shared-word scores (<see cref="LexicalRelevance"/>). A whole paragraph scores as its best sentence and is
    /// not one of the pieces that words' rarity is measured over: it only repeats them. A whole table counts its words as
    /// a whole list does, over all its rows.</summary>
    private static double[] LexicalScores(string question, List<QuoteCandidate> candidates)
    {
        var units = candidates.Where(c => !c.IsWholeParagraph).ToList();
        var scores = LexicalRelevance.Score(question, units.Select(c => (c.UnitText, c.Sentence.Context)).ToList());
        var byUnit = units.Select((c, i) => (c, Score: scores[i])).ToDictionary(p => p.c, p => p.Score);
        // A piece is a unit of its own at most once.
        var bySentence = byUnit.Where(p => p.Key.Members.Count == 0).ToDictionary(p => p.Key.Key, p => p.Value);
        return [.. candidates.Select(c => c.IsWholeParagraph ? c.Pieces.Max(p => bySentence.GetValueOrDefault(p.Key)) : byUnit[c])];
    }

    /// <summary>A unit that only puts together units of their own: a whole paragraph, a whole table.</summary>
    private static bool IsWholeOfPieces(QuoteCandidate c) => c.IsWholeParagraph || c.IsWholeTable;

    private static bool AsksForFormula(QuestionKind kind, string question) =>
        kind == QuestionKind.Formula || ExtractiveAnswerer.AsksForFormula(question);

    /// <summary>How much the question's kind favours a unit: a definition question the sentence that defines, a why
    /// question the one that gives a reason, a how or list question a whole list or table (the steps, the ways, the
    /// parts side by side), a question asking how many or how big the one that counts something ("8 heads", "64
    /// dimensions"), which <see cref="AddCount"/> also makes sure of. A whole paragraph is favoured as its best sentence
    /// is, so that it is weighed against that sentence on equal terms (<see cref="WholeUnitGap"/>); a whole table, like a
    /// whole list, is favoured over its rows by a how or list question, which asks for all of them.</summary>
    private static double KindBonus(QuestionKind kind, QuoteCandidate c) => kind switch
    {
        QuestionKind.Definition when c.Defines => KindWeight,
        QuestionKind.Why when Reason().IsMatch(c.UnitText) => KindWeight,
        QuestionKind.How or QuestionKind.List when c.List is not null && c.Members.Count > 0 => KindWeight,
        QuestionKind.Quantity when Counted().IsMatch(c.UnitText) => KindWeight,
        _ => 0,
    };

    /// <summary>Favours, for a comparison, the one sentence or list item that names both sides ("L1 selects features while
    /// L2 shrinks them all") as a unit of the kind asked for: it is the contrast itself, which each side's own list never
    /// says. Only the best of them, so that passages naming both in passing do not crowd the answer.</summary>
    private static void FavourTheContrast(List<QuoteCandidate> candidates, string a, string b)
    {
        // Its own words name both: not a label above it (a header row naming both columns), and not a lead-in.
        static bool NamesBoth(string own, string a, string b) => QuestionKinds.Names(own, a, b) && QuestionKinds.Names(own, b, a);
        var contrast = candidates
            .Where(c => c.Members.Count == 0 && !c.Sentence.IsLeadIn
                && NamesBoth(string.Join(" ", c.OwnPieces.Select(p => p.Sentence.Text)), a, b))
            .MaxBy(c => c.Score);
        if (contrast is null) return;
        // The list, table or paragraph holding it gains as much, so that the whole is still weighed against it on equal terms.
        foreach (var c in candidates.Where(c => ReferenceEquals(c, contrast) || c.Members.Count > 0 && Within(contrast, c)))
            c.Score += KindWeight;
    }

    /// <summary>
    /// Adds, for a question asking for a formula, the display formula right after a quoted sentence (with the rest of the
    /// sentence's paragraph, which leads to it), the sentence right before a quoted formula that has no lead-in, or the
    /// formula right above the list of a quoted item (<see cref="QuoteCandidate.FormulaAbove"/>); for the best-ranked
    /// quoted unit that has a formula beside it, and only whole. Notes state a formula after the words that say what it
    /// computes ("The step size shrinks along a half cosine…" then the schedule) and before the words that say what its
    /// symbols are, and those words, not the TeX, are what match the question: the formula beside them is the one asked
    /// for.
    /// </summary>
    private void AddFormulaBesideQuotedWords(List<QuoteCandidate> chosen, List<QuoteCandidate> candidates)
    {
        // The piece right after another in its passage, as a unit of its own (not an item of a list, not under a label).
        QuoteCandidate? After(QuoteCandidate piece) => candidates.FirstOrDefault(c => c.Passage == piece.Passage && c.Order == piece.Order + 1
            && c.Members.Count == 0 && c.Label is null && (c.OnlyBlankLinesBefore || c.Sentence.FirstLine <= piece.Sentence.LastLine + 2));
        foreach (var unit in chosen.ToList())
        {
            var own = unit.OwnPieces.ToList();
            if (own.FirstOrDefault(p => p.Sentence.Kind == SentenceKind.Formula) is { } formula)
            {
                if (formula.Companion is null && candidates.FirstOrDefault(c => c.Passage == formula.Passage && c.Order == formula.Order - 1
                        && c.Sentence.Kind == SentenceKind.Prose && c.Companion is null && After(c)?.Key == formula.Key) is { } before)
                    AddAllIfRoom(chosen, [before]);
                return;
            }
            if (FormulaAfter(own.MaxBy(p => p.Order)!, After) is { Count: > 0 } toFormula && AddAllIfRoom(chosen, toFormula))
                return;
            if (own.MinBy(p => p.Order)!.FormulaAbove is { } legendOf && candidates.Contains(legendOf) && AddAllIfRoom(chosen, [legendOf]))
                return;
        }
    }

    /// <summary>The units from <paramref name="last"/>, a quoted sentence, through the rest of its paragraph to the display
    /// formula right after it, ending with the formula (or with a lead-in that brings it); empty when no formula follows.</summary>
    private static List<QuoteCandidate> FormulaAfter(QuoteCandidate last, Func<QuoteCandidate, QuoteCandidate?> after)
    {
        var way = new List<QuoteCandidate>();
        if (last.Sentence.Kind != SentenceKind.Prose) return way;
        for (var next = after(last); next != null && way.Count <= MaxSentencesBeforeFormula; next = after(next))
        {
            if (next.Sentence.Kind == SentenceKind.Formula
                || next.Sentence.IsLeadIn && next.Companion?.Sentence.Kind == SentenceKind.Formula)
                return [.. way, next];
            // Only the rest of the same paragraph leads to the formula ("It suits…" leans on the sentence before).
            if (next.Sentence.Kind != SentenceKind.Prose || next.Companion is not null && !next.LeansOnCompanion
                || next.Sentence.FirstLine > (way.LastOrDefault() ?? last).Sentence.LastLine + 1) break;
            way.Add(next);
        }
        return [];
    }

    /// <summary>Adds the units together, or none of them when one quotes a piece of its own already quoted or their pieces
    /// not quoted yet would not fit (a label or companion quoted already counts once).</summary>
    private bool AddAllIfRoom(List<QuoteCandidate> chosen, List<QuoteCandidate> units)
    {
        var quoted = chosen.SelectMany(c => c.Pieces).Select(p => p.Key).ToHashSet();
        if (units.Any(u => u.OwnPieces.Any(p => quoted.Contains(p.Key)))) return false;
        var used = chosen.SelectMany(c => c.Pieces).DistinctBy(p => p.Key).Sum(p => p.Sentence.Text.Length);
        var added = units.SelectMany(u => u.Pieces).DistinctBy(p => p.Key).Where(p => !quoted.Contains(p.Key)).Sum(p => p.Sentence.Text.Length);
        if (used + added > budget * WholeUnitStretch + budget) return false;
        chosen.AddRange(units);
        return true;
    }

    /// <summary>
    /// Adds the formula the question names when it is not quoted yet: of the units stating a formula that score near the
    /// quoted ones, the one sharing the most rare words with the question (its lead-in, its heading and its symbols' names
    /// count), then the best scored. The embedder reads TeX poorly, so a formula scores low against the very words that
    /// ask for it.
    /// </summary>
    private void AddNamedFormula(List<QuoteCandidate> chosen, List<QuoteCandidate> ranked, List<QuoteCandidate> candidates, double[] lexical, double weak)
    {
        var index = candidates.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        // Among the formulas close enough in meaning: the words that name a formula sit around its TeX, not in it.
        var named = ranked.Where(c => StatesFormula(c) && c.Sentence.Kind != SentenceKind.TableRow && c.Score >= weak - FormulaGap)
            .OrderByDescending(c => lexical[index[c]]).ThenByDescending(c => c.Score).FirstOrDefault();
        if (named is null) return;
        // A quoted formula named as well as this one is the one asked for already.
        if (chosen.Any(c => StatesFormula(c) && index.TryGetValue(c, out var i) && lexical[i] >= lexical[index[named]])) return;
        AddAllIfRoom(chosen, [named]);
    }

    /// <summary>Whether the unit states a formula: a display formula, or math with an equation sign. Symbols in running
    /// text ("G maps noise $z \sim p_z$ to samples") are not the formula a question asks for.</summary>
    private static bool StatesFormula(QuoteCandidate c) =>
        new[] { c.Sentence, c.Companion?.Sentence }.Any(s => s is { Kind: SentenceKind.Formula } || s is { HasMath: true } && EquationSign().IsMatch(s.Text));

    /// <summary>Adds, for a question asking how many or how big when no quoted unit counts anything, the best unit that
    /// does, among those scoring near the quoted ones: the number is the answer, and a sentence about the topic without it
    /// scores higher only for sharing more of the question's words.</summary>
    private void AddCount(List<QuoteCandidate> chosen, List<QuoteCandidate> ranked, double weak)
    {
        if (ranked.FirstOrDefault(c => c.Score >= weak - FormulaGap && Counted().IsMatch(c.UnitText)) is { } counted)
            AddAllIfRoom(chosen, [counted]);
    }

    /// <summary>
    /// Adds, for each side of a comparison no quoted unit names, the best unit that names it, in its words or under its
    /// heading; then labels each unit that names its side only by its heading with that heading.
    /// </summary>
    private void CoverBothSides(List<QuoteCandidate> chosen, List<QuoteCandidate> ranked, string[] sides, double weak)
    {
        bool Names(string text, int side) => QuestionKinds.Names(text, sides[side], sides[1 - side]);
        for (var side = 0; side < 2; side++)
        {
            if (chosen.Any(c => Names(c.UnitText, side))) continue;
            var best = ranked.FirstOrDefault(c => c.Score >= weak - FormulaGap
                && (Names(c.UnitText, side) || Names(c.Sentence.Context ?? "", side))
                && !c.OwnPieces.Any(p => chosen.SelectMany(o => o.Pieces).Any(q => q.Key == p.Key)));
            if (best != null) AddAllIfRoom(chosen, [best]);
        }
        foreach (var c in chosen)
            if (c.Label is null && c.HeadingAbove is { } heading
                && Enumerable.Range(0, 2).Any(s => !Names(c.UnitText, s) && Names(heading.Sentence.Title ?? heading.Sentence.Text, s)))
                c.Label = heading;
    }

    /// <summary>Scores by cosine; returns the thresholds the second unit (weak) and the further ones (strong) must reach.</summary>
    private static (double Strong, double Weak) ScoreByMeaning(string question, List<QuoteCandidate> candidates, double[] lexical,
        double maxLexical, double rankPenalty, SentenceEmbedder embedder)
    {
        // What a unit says, and what it says read in place (a formula is opaque to the embedder, the sentence
        // before it is not); shared rare words settle near ties between paraphrases; a lean to better-ranked passages.
        double Score(int i, double own, double inPlace) => (1 - WindowWeight) * own + WindowWeight * inPlace
            + 0.1 * (maxLexical > 0 ? lexical[i] / maxLexical : 0) - rankPenalty * candidates[i].Passage;
        // A unit that shares no content word with the question (stop words aside), in its text or its heading, and holds
        // no math is not read: read, it is almost never quoted, and such units are a large share of an answer's embedding
        // time. It scores as a unit unlike the question (cosine 0). Math is read whatever its words: TeX names what the
        // question asks for in other words.
        var (own, inPlace) = Cosines(question, candidates, (i, o) => Score(i, o, o), embedder,
            i => maxLexical == 0 || lexical[i] > 0 || candidates[i].HasMath);
        for (var i = 0; i < candidates.Count; i++)
            candidates[i].Score = Score(i, own[i], inPlace[i]);
        var best = candidates.Max(c => c.Score);
        return (best - FurtherUnitGap, best - SecondUnitGap);
    }

    /// <summary>Scores by shared rare words; returns the thresholds as <see cref="ScoreByMeaning"/> does.</summary>
    private static (double Strong, double Weak) ScoreByWords(List<QuoteCandidate> candidates, double[] lexical, double maxLexical)
    {
        for (var i = 0; i < candidates.Count; i++)
            candidates[i].Score = lexical[i] / maxLexical - 0.03 * candidates[i].Passage;
        var best = candidates.Max(c => c.Score);
        return (best * 0.5, Math.Max(best * 0.3, 1e-9));
    }

    private List<QuoteCandidate> TakeWithinBudget(List<QuoteCandidate> ranked, double strong, double weak, QuoteReach reach)
    {
        var chosen = new List<QuoteCandidate>();
        // A very long piece is taken only when nothing of reasonable length is there.
        var head = ranked.FirstOrDefault(c => c.UnitLength <= 2 * budget) ?? ranked[0];
        chosen.Add(head);
        var quoted = head.Pieces.Select(p => p.Key).ToHashSet();
        var used = head.UnitLength;
        foreach (var c in ranked)
        {
            if (chosen.Count >= reach.MaxUnits) break;
            if (ReferenceEquals(c, head)) continue;
            var threshold = chosen.Count < reach.CloseUnits ? weak : strong;
            if (c.Score < threshold) break;
            if (c.Passage != head.Passage && c.Score < threshold + reach.OtherPassageMargin) continue;
            // A piece is quoted once, whichever unit holding it ranked: a lead-in with its formula, an item with its
            // list. A unit whose own pieces are new still counts when only its label or the piece it leans on is quoted.
            if (c.OwnPieces.Any(p => quoted.Contains(p.Key))) continue;
            var added = c.Pieces.Where(p => !quoted.Contains(p.Key)).Sum(p => p.Sentence.Text.Length);
            if (used + added > budget) continue;
            chosen.Add(c);
            quoted.UnionWith(c.Pieces.Select(p => p.Key));
            used += added;
        }
        return chosen;
    }

    /// <summary>
    /// The chosen units with an item of a list replaced by the whole list, when the list is short enough to quote whole
    /// within the budget: an item read alone loses what the list says together (the steps, both fixes, all the ways),
    /// and the other items of a list the notes wrote as the answer are the likeliest to be asked for. A sentence is
    /// replaced by its whole paragraph, within the same stretch, when the paragraph scores nearly as well: the sentence
    /// after a definition often holds its catch or its use. A row is replaced by its whole table on the same terms: unlike
    /// an item, a row names its subject in its first cell and often answers alone. So does an item of a list whose items
    /// each open with their term ("AlexNet (2012): …") when the question names that term (<see cref="AnswersAlone"/>).
    /// </summary>
    private List<QuoteCandidate> WholeUnitsOf(List<QuoteCandidate> chosen, List<QuoteCandidate> candidates, ISet<string> asked)
    {
        var result = new List<QuoteCandidate>();
        var used = chosen.Sum(c => c.UnitLength);
        foreach (var c in chosen)
        {
            if (result.Any(r => Covers(r, c)))
                continue;
            var whole = c.IsWholeParagraph ? null : WholeOf(c, candidates, asked);
            // A paragraph, table or list of terms takes in the sentences, rows or items chosen from it; one that another
            // chosen unit quotes a piece of stays out, and the pieces chosen are quoted as they are.
            if (whole is not null && (IsWholeOfPieces(whole) || SideBySide(whole)) && result.Any(r => r.OwnPieces.Any(p => whole.Pieces.Any(q => q.Key == p.Key))))
                whole = null;
            var added = whole is null ? 0 : whole.UnitLength - chosen.Where(o => Covers(whole, o)).Sum(o => o.UnitLength);
            if (whole != null && used + added <= budget * WholeUnitStretch)
            {
                result.Add(whole);
                used += added;
            }
            else result.Add(c);
        }
        return result;
    }

    /// <summary>The whole list of a chosen item, or the whole table or paragraph of a chosen row or sentence that scores
    /// nearly as well; so too the whole list of an item that answers alone.</summary>
    private static QuoteCandidate? WholeOf(QuoteCandidate c, List<QuoteCandidate> candidates, ISet<string> asked) => c.List is { } place
        ? candidates.FirstOrDefault(w => w.Members.Count + 1 == place.Count && SameList(w, c) && (!AnswersAlone(c, asked) || NearlyAsGood(w, c)))
        : candidates.FirstOrDefault(w => w.IsWholeParagraph && NearlyAsGood(w, c) && Within(c, w));

    /// <summary>A row of a table, which names its subject in its first cell, or an item of a list of terms whose term the
    /// question names (<paramref name="asked"/>, its content words): "AlexNet (2012): …" answers what won in 2012. An item
    /// of a list of a topic's facets ("Formula: …", "Use when: …") names no term of the question's, and goes with its list.</summary>
    private static bool AnswersAlone(QuoteCandidate c, ISet<string> asked) =>
        c.Sentence.Kind == SentenceKind.TableRow
        || c.List is { OfTerms: true } && c.Sentence.Term is { } term && LexicalRelevance.Terms(term).Any(asked.Contains);

    /// <summary>Rows of a table and items of a list of terms are quoted side by side: each names its own subject.</summary>
    private static bool SideBySide(QuoteCandidate c) => c.Sentence.Kind == SentenceKind.TableRow || c.List is { OfTerms: true };

    private static bool NearlyAsGood(QuoteCandidate whole, QuoteCandidate part) => whole.Score >= part.Score - WholeUnitGap;

    /// <summary>Whether <paramref name="whole"/> quotes <paramref name="part"/> already: the whole is a table or paragraph
    /// holding it, or its whole list, or another item of its list (an answer quotes one item of a list, or the whole),
    /// unless the two stand <see cref="SideBySide"/>.</summary>
    private static bool Covers(QuoteCandidate whole, QuoteCandidate part) =>
        IsWholeOfPieces(whole) ? Within(part, whole) : SameList(whole, part) && (whole.Members.Count > 0 || !SideBySide(part));

    /// <summary>Whether every piece of its own that <paramref name="part"/> quotes is quoted by <paramref name="whole"/>.</summary>
    private static bool Within(QuoteCandidate part, QuoteCandidate whole) =>
        part.OwnPieces.All(p => whole.Pieces.Any(q => q.Key == p.Key));

    private static bool SameList(QuoteCandidate a, QuoteCandidate b) =>
        a.List is { } x && b.List is { } y && a.Passage == b.Passage && x.FirstOrder == y.FirstOrder;

    /// <summary>
    /// Cosine of the question with each unit (under its heading) and with each unit read in place. Two batches: the
    /// question and every unit <paramref name="worthReading"/> alone, then the <see cref="ExtractiveAnswerer.InPlaceUnits"/>
    /// best of those read in place (ranked by <paramref name="provisional"/> of their own cosine); every other unit's
    /// in-place cosine is its own. A unit not worth reading is not embedded at all: both its cosines are 0.
    /// </summary>
    private static (double[] Own, double[] InPlace) Cosines(string question, List<QuoteCandidate> candidates,
        Func<int, double, double> provisional, SentenceEmbedder embedder, Func<int, bool> worthReading)
    {
        // The heading or flashcard question says what a bare sentence is about ("It has high bias." under "Underfitting").
        static string UnderContext(QuoteCandidate c, string text) => c.Sentence.Context is { } ctx ? $"{ctx}: {text}" : text;
        var read = Enumerable.Range(0, candidates.Count).Where(worthReading).ToList();
        var alone = embedder.Embed([question, .. read.Select(i => UnderContext(candidates[i], candidates[i].UnitText))]);
        var q = alone[0];
        var own = new double[candidates.Count];
        for (var k = 0; k < read.Count; k++)
            own[read[k]] = SentenceEmbedder.Cosine(q, alone[k + 1]);
        // A whole paragraph or table is not read in place: it is its own place, and its sentences or rows are read in theirs.
        var best = read.Where(i => !IsWholeOfPieces(candidates[i])).OrderByDescending(i => provisional(i, own[i]))
            .Take(ExtractiveAnswerer.InPlaceUnits).ToList();
        var inPlace = (double[])own.Clone();
        var places = embedder.Embed(best.Select(i => UnderContext(candidates[i], candidates[i].Window)).ToList());
        for (var k = 0; k < best.Count; k++)
            inPlace[best[k]] = SentenceEmbedder.Cosine(q, places[k]);
        return (own, inPlace);
    }

    // A number counting something: "8 heads", "64-dimensional", "2 states", "10%", "4 × d" (not a list's "1." or a bare
    // symbol).
    [GeneratedRegex(@"\b\d+(?:[.,]\d+)?(?:\s*(?:%|×|\\times\b)|-?\s?[\p{L}]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex Counted();

    // Equality, approximation, proportion, order and assignment, as signs or by their TeX names: what makes math an
    // equation, a bound or an update rule.
    [GeneratedRegex(@"[=≈≠≡≤≥∝←]|\\(?:approx|neq?|equiv|triangleq|leq?|geq?|propto|leftarrow|gets)\b", RegexOptions.CultureInvariant)]
    private static partial Regex EquationSign();

    [GeneratedRegex(@"\b(?:because|since|so that|in order to|prevents?|avoids?|helps?|allows?|enables?|reduces?|therefore|which means|leads? to|causes?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reason();
}
