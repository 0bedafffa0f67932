using System.Text;
using System.Text.RegularExpressions;
using MlTutor.Embedding;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Answering;

/// <summary>
/// The built-in offline answerer: it answers with the notes' own sentences, never with words of its own, each
/// followed by a marker [n] whose citation points at the exact file lines quoted. Sentences are ranked against
/// the question by a sentence embedder when one is given (cosine similarity), otherwise by shared rare words.
/// </summary>
public sealed partial class ExtractiveAnswerer : IAnswerer
{
    /// <summary>Roughly how many characters of quotes make a short answer.</summary>
    public const int DefaultCharacterBudget = 600;

    /// <summary>At most this many units are quoted (a unit is a piece, possibly with its companion or its list's items);
    /// a formula asked for may come on top.</summary>
    public const int MaxSentences = 4;

    private readonly Func<IReadOnlyList<string>, float[][]>? _embed;
    private readonly int _budget;

    /// <param name="sentenceEmbedder">Maps texts to vectors (one per text, same order); null ranks by shared words.</param>
    /// <param name="characterBudget">Approximate length of the quoted part of an answer.</param>
    public ExtractiveAnswerer(Func<IReadOnlyList<string>, float[][]>? sentenceEmbedder = null, int characterBudget = DefaultCharacterBudget)
    {
        if (characterBudget < 100)
            throw new ArgumentOutOfRangeException(nameof(characterBudget), characterBudget, "the answer budget must be at least 100 characters");
        _embed = sentenceEmbedder;
        _budget = characterBudget;
    }

    /// <summary>The text of an answer when the notes do not cover <paramref name="context"/>'s question; it names the
    /// question's words that the notes never mention, which is usually the reason.</summary>
    public static string NotCoveredText(RetrievedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var unknown = context.Signals?.UnknownNames ?? [];
        var never = unknown.Count == 0 ? "" : $"Your notes never mention {string.Join(", ", unknown)}. ";
        return $"The notes do not cover this question (\"{context.Question?.Trim()}\"). {never}"
            + "Try rephrasing it with the terms your notes use, or add notes on the topic and index them again.";
    }

    public Task<Answer> AnswerAsync(RetrievedContext context, AnswerStyle style, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Answer(context, style));
    }

    /// <summary>The synchronous form of <see cref="AnswerAsync"/>: the work is all local.</summary>
    public Answer Answer(RetrievedContext context, AnswerStyle style)
    {
        ArgumentNullException.ThrowIfNull(context);
        var question = context.Question ?? "";
        if (context.NotCovered || context.Passages.Count == 0)
            return NotCovered(context);

        var pieces = SplitPassages(context);
        var candidates = Units(pieces);
        if (candidates.Count == 0)
            return NotCovered(context);

        // In a conversation the question may only make sense with the turns it leans on: sentences are chosen for the
        // text the passages were retrieved with.
        var chosen = Choose(context.StandaloneQuestion, candidates)
            .SelectMany(c => c.Pieces).DistinctBy(c => c.Key)
            .OrderBy(c => c.Passage).ThenBy(c => c.Order).ToList();

        // One citation per quoted passage, numbered in order of first use, narrowed to the lines quoted.
        var numbers = new Dictionary<int, int>();
        var citations = new List<Citation>();
        foreach (var group in chosen.GroupBy(c => c.Passage))
        {
            var chunk = context.Passages[group.Key].Chunk;
            var n = citations.Count + 1;
            numbers[group.Key] = n;
            citations.Add(new Citation(n, chunk.File,
                chunk.StartLine + group.Min(c => c.Sentence.FirstLine),
                chunk.StartLine + group.Max(c => c.Sentence.LastLine),
                chunk.HeadingPath, chunk.Id));
        }

        var text = style == AnswerStyle.Interviewer
            ? InterviewerText(question, chosen, numbers, pieces)
            : TutorText(chosen, numbers);
        return new Answer(question, text, NotCovered: false, citations) { StandaloneQuestion = context.StandaloneQuestion };
    }

    private static Answer NotCovered(RetrievedContext context) =>
        new(context.Question ?? "", NotCoveredText(context), NotCovered: true, []) { StandaloneQuestion = context.StandaloneQuestion };

    // A class, not a record: units refer to each other, and equality means "the same piece".
    private sealed class Candidate(int passage, int order, NoteSentence sentence)
    {
        public int Passage { get; } = passage;
        public int Order { get; } = order;
        public NoteSentence Sentence { get; } = sentence;
        public double Score { get; set; }

        /// <summary>Which piece of the passages this is. A list's unit is a new candidate over its first item, so
        /// "the same piece" is told by this, not by reference.</summary>
        public (int Passage, int Order) Key => (Passage, Order);

        /// <summary>The piece quoted together with this one: the formula, item or row a lead-in announces, the lead-in of
        /// a formula, or the sentence a referring one ("This is…") points back to.</summary>
        public Candidate? Companion { get; set; }

        /// <summary>The companion is the piece this one points back to ("This is known as…"): quoted already, it is
        /// not quoted again, and this one may still be.</summary>
        public bool LeansOnCompanion { get; set; }

        /// <summary>The further items of a list of short items, quoted with this one (its first item) as one unit.</summary>
        public IReadOnlyList<Candidate> Members { get; init; } = [];

        /// <summary>Every piece the unit quotes: itself, its companion and its list's further items.</summary>
        public IEnumerable<Candidate> Pieces => (Companion is null ? [this] : new[] { this, Companion }).Concat(Members);

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

    /// <summary>
    /// The quotable units: each quotable piece, paired with its companion where one is needed. A lead-in
    /// ("Closed-form (Normal Equation):") is quoted only with the formula, item or row right after it and is
    /// dropped when nothing follows it; a display formula brings the lead-in that introduces it, which says
    /// what the symbols are; a sentence that points back ("This is known as the kernel trick.") brings the piece
    /// right before it. Lists of short items are units too (<see cref="ShortItemLists"/>).
    /// </summary>
    private static List<Candidate> Units(List<Candidate> pieces)
    {
        var units = new List<Candidate>();
        for (var i = 0; i < pieces.Count; i++)
        {
            var c = pieces[i];
            var next = i + 1 < pieces.Count && pieces[i + 1].Passage == c.Passage ? pieces[i + 1] : null;
            var previous = i > 0 && pieces[i - 1].Passage == c.Passage ? pieces[i - 1] : null;
            if (c.Sentence.IsLeadIn)
            {
                // Another lead-in or a title line after it means what it announced is missing (formulas dropped on export).
                if (next is null || !next.Sentence.IsQuotable || next.Sentence.IsLeadIn || NoteSentenceSplitter.LooksLikeTitle(next.Sentence.Text)
                    || next.Sentence.FirstLine > c.Sentence.LastLine + 2) continue;
                c.Companion = next;
                units.Add(c);
            }
            else if (c.Sentence.IsQuotable)
            {
                if (c.Sentence.Kind == SentenceKind.Formula && previous is { Sentence.IsLeadIn: true }
                    && previous.Sentence.LastLine >= c.Sentence.FirstLine - 2)
                    c.Companion = previous;
                // "This is known as the kernel trick." says what the sentence before it defines: quote them together.
                else if (PointsBackTo(c, previous))
                    (c.Companion, c.LeansOnCompanion) = (previous, true);
                units.Add(c);
            }
        }
        units.AddRange(ShortItemLists(pieces));
        foreach (var u in units)
        {
            var at = pieces.FindIndex(p => p.Key == u.Key);
            var first = u.Companion is { } m && m.Order < u.Order && !u.LeansOnCompanion ? at - 1 : at;
            var last = u.Companion is { } n && n.Order > u.Order ? at + 1 : at + u.Members.Count;
            var before = first > 0 && pieces[first - 1].Passage == u.Passage ? pieces[first - 1].Sentence.Text + " " : "";
            var after = last + 1 < pieces.Count && pieces[last + 1].Passage == u.Passage ? " " + pieces[last + 1].Sentence.Text : "";
            u.Window = before + u.UnitText + after;
        }
        return units;
    }

    /// <summary>
    /// Whether <paramref name="c"/> points back at <paramref name="previous"/>: it opens with "This", "It", "These"…,
    /// and the piece right before it in the note (none was dropped as a repeat) is of the same kind, or a formula, on
    /// the same or the previous line. Not after a list, whose referent is the whole list, not its last item; not when
    /// that piece points back itself, since one piece cannot bring the whole chain.
    /// </summary>
    private static bool PointsBackTo(Candidate c, Candidate? previous) =>
        c.Sentence.RefersBack && previous is { Sentence: { IsQuotable: true, IsLeadIn: false, RefersBack: false } p }
        && previous.Order == c.Order - 1 && (p.Kind == c.Sentence.Kind || p.Kind == SentenceKind.Formula)
        && p.LastLine >= c.Sentence.FirstLine - 1;

    /// <summary>Most items of a list quoted as one unit.</summary>
    private const int MaxListItems = 8;

    /// <summary>
    /// Lists of short items ("- Synonym replacement", "- Random swap"), each as one unit with the lead-in that
    /// announces it: alone each item is too thin to quote, together they are the answer to "what are the ways to...".
    /// A list counts when at least half of its items are short.
    /// </summary>
    private static IEnumerable<Candidate> ShortItemLists(List<Candidate> pieces)
    {
        for (var i = 0; i < pieces.Count;)
        {
            var j = i;
            while (j < pieces.Count && pieces[j].Passage == pieces[i].Passage
                   && pieces[j].Sentence is { Kind: SentenceKind.ListItem, IsLeadIn: false } item && (item.IsQuotable || item.IsShortItem)
                   && (j == i || item.FirstLine <= pieces[j - 1].Sentence.LastLine + 2))
                j++;
            if (j - i >= 2 && pieces.Skip(i).Take(j - i).Count(p => p.Sentence.IsShortItem) * 2 >= j - i)
            {
                var items = pieces.GetRange(i, Math.Min(j - i, MaxListItems));
                var previous = i > 0 ? pieces[i - 1] : null;
                var leadIn = previous is { Sentence.IsLeadIn: true } && previous.Passage == items[0].Passage
                    && previous.Sentence.LastLine >= items[0].Sentence.FirstLine - 2 ? previous : null;
                yield return new Candidate(items[0].Passage, items[0].Order, items[0].Sentence) { Companion = leadIn, Members = items[1..] };
            }
            i = Math.Max(j, i + 1);
        }
    }

    private static List<Candidate> SplitPassages(RetrievedContext context)
    {
        var all = new List<Candidate>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var p = 0; p < context.Passages.Count; p++)
        {
            var chunk = context.Passages[p].Chunk;
            var order = 0;
            foreach (var s in NoteSentenceSplitter.Split(chunk.Text, LastHeading(chunk.HeadingPath)))
            {
                // Overlapping chunks repeat sentences: quote each once, from the better-ranked passage. The order still
                // counts the repeat, so that two pieces are next to each other in the note exactly when their orders are.
                var at = order++;
                if (s.IsQuotable && !seen.Add(Squash(s.Text))) continue;
                all.Add(new Candidate(p, at, s));
            }
        }
        return all;
    }

    /// <summary>Scores the candidates and picks the best few that fit the budget.</summary>
    private List<Candidate> Choose(string question, List<Candidate> candidates)
    {
        var lexical = LexicalRelevance.Score(question, candidates.Select(c => (c.UnitText, c.Sentence.Context)).ToList());
        var maxLexical = lexical.Max();

        double strong, weak;
        if (_embed != null)
        {
            // What a unit says, and what it says read in place (a formula is opaque to the embedder, the sentence
            // before it is not); shared rare words settle near ties between paraphrases; a lean to better-ranked passages.
            double Score(int i, double own, double inPlace) => (1 - WindowWeight) * own + WindowWeight * inPlace
                + 0.1 * (maxLexical > 0 ? lexical[i] / maxLexical : 0) - RankPenalty * candidates[i].Passage;
            var (own, inPlace) = Cosines(question, candidates, (i, o) => Score(i, o, o));
            for (var i = 0; i < candidates.Count; i++)
                candidates[i].Score = Score(i, own[i], inPlace[i]);
            var best = candidates.Max(c => c.Score);
            (strong, weak) = (best - FurtherUnitGap, best - SecondUnitGap);
        }
        else if (maxLexical > 0)
        {
            for (var i = 0; i < candidates.Count; i++)
                candidates[i].Score = lexical[i] / maxLexical - 0.03 * candidates[i].Passage;
            var best = candidates.Max(c => c.Score);
            (strong, weak) = (best * 0.5, Math.Max(best * 0.3, 1e-9));
        }
        else
        {
            // No word in common: retrieval still judged the first passage relevant, so quote its opening.
            for (var i = 0; i < candidates.Count; i++)
                candidates[i].Score = -candidates[i].Passage * 1000.0 - candidates[i].Order;
            var first = candidates.Where(c => c.Passage == candidates[0].Passage).ToList();
            return TakeWithinBudget(first, double.MinValue, double.MinValue, maxCount: 2);
        }
        var ranked = candidates.OrderByDescending(c => c.Score).ToList();
        var chosen = TakeWithinBudget(ranked, strong, weak, MaxSentences);
        // The embedder reads TeX poorly, so a formula scores low against the very words that ask for it
        // ("what's the equation for the cell update?"): such a question gets the passages' best formula as well.
        if (_embed != null && AsksForFormula(question) && !chosen.Any(c => c.HasMath)
            && ranked.FirstOrDefault(c => c.HasMath) is { } formula && formula.Score >= weak - FormulaGap)
            chosen.Add(formula);
        return chosen;
    }

    private List<Candidate> TakeWithinBudget(List<Candidate> ranked, double strong, double weak, int maxCount)
    {
        var chosen = new List<Candidate>();
        // A very long piece is taken only when nothing of reasonable length is there.
        var head = ranked.FirstOrDefault(c => c.UnitLength <= 2 * _budget) ?? ranked[0];
        chosen.Add(head);
        var quoted = head.Pieces.Select(p => p.Key).ToHashSet();
        var used = head.UnitLength;
        foreach (var c in ranked)
        {
            if (chosen.Count >= maxCount) break;
            if (ReferenceEquals(c, head)) continue;
            var threshold = chosen.Count == 1 ? weak : strong;
            if (c.Score < threshold) break;
            // A piece is quoted once, whichever unit holding it ranked: a lead-in with its formula, an item with its
            // list. A unit whose own pieces are new still counts when only the piece it leans on is quoted already.
            if (c.Pieces.Where(p => !(c.LeansOnCompanion && ReferenceEquals(p, c.Companion))).Any(p => quoted.Contains(p.Key))) continue;
            var added = c.Pieces.Where(p => !quoted.Contains(p.Key)).Sum(p => p.Sentence.Text.Length);
            if (used + added > _budget) continue;
            chosen.Add(c);
            quoted.UnionWith(c.Pieces.Select(p => p.Key));
            used += added;
        }
        return chosen;
    }

    // Weights measured on the dev questions (cited evidence vs. cited lines), not fitted to any one question.
    /// <summary>Share of a unit's score that comes from reading it with its neighbouring pieces.</summary>
    private const double WindowWeight = 0.3;

    /// <summary>Score taken off per retrieval rank of the unit's passage: retrieval's order is evidence too.</summary>
    private const double RankPenalty = 0.03;

    /// <summary>How far below the best unit the second unit, and the further ones, may score and still be quoted.</summary>
    private const double SecondUnitGap = 0.20, FurtherUnitGap = 0.12;

    /// <summary>How far below the second unit's threshold the best formula may score and still be quoted for a question
    /// that asks for one.</summary>
    private const double FormulaGap = 0.20;

    /// <summary>Whether the question asks for math: a formula, an equation, an expression, how something is calculated.</summary>
    public static bool AsksForFormula(string question) => FormulaRequest().IsMatch(question);

    /// <summary>How many units are also read in place, the longest texts an answer embeds. The in-place reading weighs
    /// <see cref="WindowWeight"/> and only reorders units already near the top, so the others keep their own cosine: on
    /// the dev questions 12 changes no answer and saves about 40% of an answer's embedding time.</summary>
    public const int InPlaceUnits = 12;

    /// <summary>
    /// Cosine of the question with each unit (under its heading) and with each unit read in place. Two batches: the
    /// question and every unit alone, then the <see cref="InPlaceUnits"/> best of those read in place (ranked by
    /// <paramref name="provisional"/> of their own cosine); every other unit's in-place cosine is its own.
    /// </summary>
    private (double[] Own, double[] InPlace) Cosines(string question, List<Candidate> candidates, Func<int, double, double> provisional)
    {
        // The heading or flashcard question says what a bare sentence is about ("It has high bias." under "Underfitting").
        static string UnderContext(Candidate c, string text) => c.Sentence.Context is { } ctx ? $"{ctx}: {text}" : text;
        var alone = Embed([question, .. candidates.Select(c => UnderContext(c, c.UnitText))]);
        var q = alone[0];
        var own = alone.Skip(1).Select(v => Cosine(q, v)).ToArray();
        var best = Enumerable.Range(0, candidates.Count).OrderByDescending(i => provisional(i, own[i])).Take(InPlaceUnits).ToList();
        var inPlace = (double[])own.Clone();
        var read = Embed(best.Select(i => UnderContext(candidates[i], candidates[i].Window)).ToList());
        for (var k = 0; k < best.Count; k++)
            inPlace[best[k]] = Cosine(q, read[k]);
        return (own, inPlace);
    }

    private float[][] Embed(IReadOnlyList<string> inputs)
    {
        var vectors = _embed!(inputs);
        if (vectors == null || vectors.Length != inputs.Count)
            throw new InvalidOperationException(
                $"the sentence embedder returned {vectors?.Length ?? 0} vectors for {inputs.Count} texts: it must return one vector per text");
        return vectors;
    }

    private static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
            throw new InvalidOperationException($"the sentence embedder returned vectors of different sizes ({a.Length} and {b.Length})");
        return VectorMath.Cosine(a, b);
    }

    private static string TutorText(List<Candidate> chosen, Dictionary<int, int> numbers)
    {
        var sb = new StringBuilder();
        Candidate? previous = null;
        foreach (var c in chosen)
        {
            var s = c.Sentence;
            // Consecutive sentences of one paragraph read as a paragraph; list items and rows stay one per line.
            var sameParagraph = previous != null && previous.Passage == c.Passage
                && s.Kind == SentenceKind.Prose && previous.Sentence.Kind == SentenceKind.Prose
                && s.FirstLine <= previous.Sentence.LastLine + 1;
            if (previous != null) sb.Append(sameParagraph ? " " : "\n");
            if (s.Kind is SentenceKind.ListItem or SentenceKind.TableRow) sb.Append("- ");
            sb.Append(s.Text).Append(" [").Append(numbers[c.Passage]).Append(']');
            previous = c;
        }
        return sb.ToString();
    }

    private string InterviewerText(string question, List<Candidate> chosen, Dictionary<int, int> numbers, List<Candidate> pieces)
    {
        var sb = new StringBuilder();
        sb.Append("An interviewer would ask: ").Append(AsAsked(question)).Append('\n');
        sb.Append("A strong answer covers:");
        foreach (var c in chosen)
            sb.Append("\n- ").Append(c.Sentence.Text).Append(" [").Append(numbers[c.Passage]).Append(']');
        sb.Append("\nFollow-up question: ").Append(FollowUp(question, chosen, pieces));
        return sb.ToString();
    }

    /// <summary>The question as the student put it, ending in '?' when it is a question and in '.' when it is a request
    /// ("Explain the bias-variance tradeoff.").</summary>
    private static string AsAsked(string question)
    {
        var asked = question.Trim().TrimEnd('?', '.', '!', ' ');
        return asked + (question.TrimEnd().EndsWith('?') || AsksDirectly().IsMatch(asked) ? "?" : ".");
    }

    /// <summary>
    /// A question the interviewer could ask next, taken from the passages: a flashcard question, or a heading turned
    /// into a question, on the same topic as the question but not a restatement of it. With an embedder, the one most
    /// similar to the question (at least <see cref="FollowUpFloor"/>); without, one sharing a word with the question,
    /// flashcard questions and cited passages first. When none is on the topic, a question about the student's own work.
    /// </summary>
    private string FollowUp(string question, List<Candidate> chosen, List<Candidate> pieces)
    {
        var cited = chosen.Select(c => c.Passage).ToHashSet();
        var asked = LexicalRelevance.Terms(question).ToHashSet();
        var options = pieces
            .Where(p => p.Sentence.Kind is SentenceKind.Question or SentenceKind.Heading)
            .OrderBy(p => p.Sentence.Kind == SentenceKind.Question ? 0 : 1)
            .ThenBy(p => cited.Contains(p.Passage) ? 0 : 1)
            .ThenBy(p => p.Passage).ThenBy(p => p.Order)
            .Select(p => (Text: QuestionLabel().Replace(NumberPrefix().Replace(p.Sentence.Text, ""), "").Trim().Trim('"', '“', '”').TrimEnd(':', '.').Trim(),
                IsQuestion: p.Sentence.Kind == SentenceKind.Question))
            .Where(o => o.Text.Length >= 4 && !o.Text.Contains("contents", StringComparison.OrdinalIgnoreCase))
            .Where(o => LexicalRelevance.Terms(o.Text) is { Count: > 0 } terms
                // A restatement: most of its words are the question's. One that adds to it ("…allow higher learning rates?") follows up.
                && LexicalRelevance.Overlap(o.Text, question) < 0.5
                && (_embed != null || terms.Any(asked.Contains)))
            .DistinctBy(o => o.Text, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (_embed != null && options.Count > 0)
        {
            var vectors = Embed([question, .. options.Select(o => o.Text)]);
            var best = Enumerable.Range(0, options.Count).MaxBy(i => Cosine(vectors[0], vectors[i + 1]) + (options[i].IsQuestion ? QuestionBonus : 0));
            options = Cosine(vectors[0], vectors[best + 1]) >= FollowUpFloor ? [options[best]] : [];
        }
        if (options.Count == 0)
            return "Can you give a concrete example of this from a project you worked on?";
        return options[0].IsQuestion ? options[0].Text : $"How would you explain {options[0].Text}?";
    }

    /// <summary>How similar to the question a follow-up must be to count as on the same topic.</summary>
    private const double FollowUpFloor = 0.4;

    /// <summary>A flashcard question is preferred to a heading of about the same similarity: it is already a question.</summary>
    private const double QuestionBonus = 0.05;

    private static string? LastHeading(string headingPath)
    {
        if (string.IsNullOrWhiteSpace(headingPath)) return null;
        var parts = headingPath.Split(HeadingText.Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 0 ? null : parts[^1];
    }

    private static string Squash(string s) => Spaces().Replace(s, "");

    [GeneratedRegex(@"\b(?:formulas?|equations?|mathematical(?:ly)?|expression|write (?:it )?(?:down|out)|closed[- ]form|calculated?|computed|update rule|objective)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FormulaRequest();

    [GeneratedRegex(@"^\d+(?:\.\d+)*\.?\s+")]
    private static partial Regex NumberPrefix();

    /// <summary>"Q:" or "Question 3:" before a flashcard's question.</summary>
    [GeneratedRegex(@"^(?:Q|Question)\s*\d*\s*[:.)]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLabel();

    [GeneratedRegex(@"^(?:what|whats|what's|how|why|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|could|should|would|will|shall|may|might|must|has|have|had)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksDirectly();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
