using System.Text.RegularExpressions;
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
    public const int DefaultCharacterBudget = QuotableUnits.MaxListCharacters;

    /// <summary>At most this many units are quoted (a unit is a piece, possibly with its companion, its list's items or
    /// the rest of its paragraph); a formula asked for may come on top.</summary>
    public const int MaxSentences = 4;

    /// <summary>How many units are also read in place, the longest texts an answer embeds. The in-place reading weighs a
    /// small share of a unit's score (see <see cref="QuoteSelection"/>) and only reorders units already near the top, so
    /// the others keep their own cosine: on the dev questions 12 changes no answer and saves about 40% of an answer's
    /// embedding time.</summary>
    public const int InPlaceUnits = 12;

    private readonly SentenceEmbedder? _embedder;
    private readonly int _budget;

    /// <param name="sentenceEmbedder">Maps texts to vectors (one per text, same order); null ranks by shared words.</param>
    /// <param name="characterBudget">Approximate length of the quoted part of an answer.</param>
    public ExtractiveAnswerer(Func<IReadOnlyList<string>, float[][]>? sentenceEmbedder = null, int characterBudget = DefaultCharacterBudget)
    {
        if (characterBudget < 100)
            throw new ArgumentOutOfRangeException(nameof(characterBudget), characterBudget, "the answer budget must be at least 100 characters");
        _embedder = sentenceEmbedder is null ? null : new SentenceEmbedder(sentenceEmbedder);
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

    /// <summary>Whether the question asks for math: a formula, an equation, an expression, how something is calculated,
    /// computed or defined, a derivative, a density function, what an expression reduces to. "Cheaper to compute", "how
    /// much compute" or "the steps to compute" asks for no formula, nor does "which loss function" (a name) or "what is
    /// X" (words first).</summary>
    public static bool AsksForFormula(string question) => FormulaRequest().IsMatch(question);

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

        var pieces = PassagePieces.Of([.. context.Passages.Select(p => p.Chunk)]);
        var candidates = QuotableUnits.Of(pieces);
        // A paragraph or table is weighed whole only with an embedder: by shared words alone it would match as well as
        // its best sentence or row, which says nothing of the rest. An interview answer is built of parts of one kind
        // each (a definition, a pitfall), which a paragraph or table mixes.
        if (_embedder is not null && style == AnswerStyle.Tutor)
        {
            candidates.AddRange(QuotableUnits.WholeParagraphs(candidates));
            candidates.AddRange(QuotableUnits.WholeTables(candidates));
        }
        if (candidates.Count == 0)
            return NotCovered(context);

        // In a conversation the question may only make sense with the turns it leans on: sentences are chosen for the
        // text the passages were retrieved with.
        var units = new QuoteSelection(_embedder, _budget).Choose(context.StandaloneQuestion, candidates, QuoteReach.Answer);
        if (style == AnswerStyle.Interviewer)
        {
            // An interview answer is built of parts, each a unit of its own: the quoted pieces are the parts' pieces.
            var parts = InterviewerAnswerText.ChooseParts(candidates, units);
            var (partCitations, partNumbers) = QuoteCitations.For(context, InNoteOrder(parts.SelectMany(p => p.Unit.Pieces)));
            var interview = new InterviewerAnswerText(_embedder).Compose(question, parts, partNumbers, context.QuestionBank);
            return new Answer(question, interview, NotCovered: false, partCitations) { StandaloneQuestion = context.StandaloneQuestion };
        }
        var chosen = InNoteOrder(units.SelectMany(c => c.Pieces));
        var (citations, numbers) = QuoteCitations.For(context, chosen);
        var text = TutorAnswerText.Compose(chosen, numbers);
        return new Answer(question, text, NotCovered: false, citations) { StandaloneQuestion = context.StandaloneQuestion };
    }

    private static List<QuoteCandidate> InNoteOrder(IEnumerable<QuoteCandidate> pieces) =>
        pieces.DistinctBy(c => c.Key).OrderBy(c => c.Passage).ThenBy(c => c.Order).ToList();

    private static Answer NotCovered(RetrievedContext context) =>
        new(context.Question ?? "", NotCoveredText(context), NotCovered: true, []) { StandaloneQuestion = context.StandaloneQuestion };

    [GeneratedRegex(@"\b(?:formulas?|equations?|mathematical(?:ly)?|expression|write (?:it )?(?:down|out)|closed[- ]form|calculated?|computed|how (?:do|does|did|would|could|can|should|to|is|are)\b[^?.]{0,40}\bcompute[sd]?|how (?:is|are) [^?.]{1,60}? defined|derivatives?(?!-)|what (?:does|do|is|are)\b[^?.]{0,60}\b(?:reduces?|simplif(?:y|ies)) to|density function|update rule|objective)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FormulaRequest();
}
