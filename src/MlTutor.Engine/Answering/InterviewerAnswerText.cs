using System.Text;
using System.Text.RegularExpressions;
using MlTutor.Ingestion;

namespace MlTutor.Answering;

/// <summary>
/// An extractive answer as a strong interview answer is built: a one-line definition, how it works, the key formula, the
/// trade-offs or when to use it, a common pitfall, each a unit of the notes with its marker, and a part the notes lack left
/// out. Then two or three follow-up questions an interviewer would ask next, from the questions the notes answer (the
/// question bank), each with where the notes answer it.
/// </summary>
/// <param name="embedder">Ranks the follow-ups by similarity; null ranks them by shared words.</param>
internal sealed partial class InterviewerAnswerText(SentenceEmbedder? embedder)
{
    /// <summary>How far below the best unit a unit may score and still make a part of the answer.</summary>
    private const double PartGap = 0.4;

    /// <summary>How similar to the question a follow-up must be to count as on the same topic.</summary>
    private const double FollowUpFloor = 0.35;

    /// <summary>Most follow-up questions.</summary>
    public const int MaxFollowUps = 3;

    /// <summary>How far below the best unit a formula may score and still be the key formula: the embedder reads TeX
    /// poorly, so a formula scores low against the words that name it.</summary>
    private const double FormulaGap = 0.8;

    /// <summary>A part of the answer: its name, what a unit must say to fill it and how far below the best unit it may score.</summary>
    private sealed record Part(string Name, Func<QuoteCandidate, bool> Fits, double Gap = PartGap);

    private static readonly Part[] Parts =
    [
        new("Definition", c => c.Defines && !c.HasMath && c.Sentence.Kind != SentenceKind.TableRow),
        new("How it works", c => !c.HasMath && Works().IsMatch(c.UnitText)),
        new("Key formula", c => c.HasMath && c.Sentence.Kind != SentenceKind.TableRow, FormulaGap),
        new("Trade-offs", c => !c.HasMath && TradeOff().IsMatch(c.UnitText)),
        new("Pitfall", c => !c.HasMath && c.Sentence.Kind != SentenceKind.TableRow && Pitfall().IsMatch(c.UnitText)),
    ];

    /// <param name="candidates">Every unit, scored against the question (<see cref="QuoteSelection"/>).</param>
    /// <param name="chosen">The units the tutor's answer would quote: the parts are filled from them first.</param>
    /// <returns>The units of each part found, in the parts' order.</returns>
    public static List<(string Part, QuoteCandidate Unit)> ChooseParts(List<QuoteCandidate> candidates, List<QuoteCandidate> chosen)
    {
        var best = candidates.Max(c => c.Score);
        // The parts come from the passages the tutor's answer quotes: those are about the topic, the others may not be.
        var onTopic = chosen.Select(c => c.Passage).ToHashSet();
        var ranked = chosen.Concat(candidates.Where(c => onTopic.Contains(c.Passage)).OrderByDescending(c => c.Score)).ToList();
        var parts = new List<(string, QuoteCandidate)>();
        var quoted = new HashSet<(int, int)>();
        foreach (var part in Parts)
        {
            var unit = ranked.FirstOrDefault(c => part.Fits(c) && (chosen.Contains(c) || c.Score >= best - part.Gap)
                && !c.OwnPieces.Any(p => quoted.Contains(p.Key)));
            if (unit is null) continue;
            parts.Add((part.Name, unit));
            quoted.UnionWith(unit.Pieces.Select(p => p.Key));
        }
        // Notes that fit none of the parts still answer: the tutor's best unit stands as the answer's opening.
        if (parts.Count == 0 && chosen.Count > 0) parts.Add(("Answer", chosen[0]));
        return parts;
    }

    /// <param name="parts">The parts and their units (<see cref="ChooseParts"/>).</param>
    /// <param name="numbers">The citation number of each quoted passage, by the passage's rank.</param>
    /// <param name="bank">The questions the notes answer, where follow-ups come from.</param>
    public string Compose(string question, List<(string Part, QuoteCandidate Unit)> parts, Dictionary<int, int> numbers, IReadOnlyList<BankQuestion> bank)
    {
        var sb = new StringBuilder();
        foreach (var (name, unit) in parts)
        {
            if (sb.Length > 0) sb.Append('\n');
            var pieces = unit.Pieces.DistinctBy(p => p.Key).OrderBy(p => p.Order).ToList();
            sb.Append(name).Append(": ").Append(string.Join(" ", pieces.Select(p => MarkerSafeText.Of(p.Sentence.Text))))
                .Append(" [").Append(numbers[unit.Passage]).Append(']');
        }
        var followUps = FollowUps(question, parts.Select(p => p.Unit).ToList(), bank);
        if (followUps.Count > 0)
        {
            sb.Append("\nFollow-up questions:");
            foreach (var q in followUps)
                sb.Append("\n- ").Append(q.Question).Append(" (").Append(q.File).Append(':').Append(q.StartLine).Append(')');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Two or three questions of the bank on the question's topic but not the question itself, the most similar first:
    /// with an embedder those at least <see cref="FollowUpFloor"/> similar to the question and its answer, without one
    /// those sharing a word with it; never one whose words are mostly the question's (a restatement).
    /// </summary>
    public List<BankQuestion> FollowUps(string question, List<QuoteCandidate> answer, IReadOnlyList<BankQuestion> bank)
    {
        var asked = LexicalRelevance.Terms(question).ToHashSet();
        if (asked.Count == 0) return [];
        var options = bank
            .Where(q => LexicalRelevance.Overlap(q.Question, question) < 0.5 && LexicalRelevance.Overlap(question, q.Question) < 0.6)
            .Where(q => LexicalRelevance.Terms(q.Question + " " + q.HeadingPath).Any(asked.Contains))
            .DistinctBy(q => q.Question, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (options.Count == 0) return [];
        if (embedder is null)
            return options.OrderByDescending(q => LexicalRelevance.Overlap(q.Question, question)).Take(MaxFollowUps).ToList();
        var topic = question + " " + string.Join(" ", answer.Take(2).Select(u => u.Sentence.Text));
        var vectors = embedder.Embed([topic, .. options.Select(o => o.Question)]);
        return Enumerable.Range(0, options.Count)
            .Select(i => (Question: options[i], Similarity: SentenceEmbedder.Cosine(vectors[0], vectors[i + 1])))
            .Where(o => o.Similarity >= FollowUpFloor)
            .OrderByDescending(o => o.Similarity)
            .Take(MaxFollowUps).Select(o => o.Question).ToList();
    }

    [GeneratedRegex(@"\b(?:works? by|by (?:\w+ing)|computes?|learns?|trains?|uses?|combines?|splits?|updates?|applies|builds?|takes?|maps?|step|first|then|each|intuition|idea)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Works();

    [GeneratedRegex(@"\b(?:trade-?offs?|pros?|cons?|advantages?|disadvantages?|drawbacks?|downsides?|limitations?|when to use|use (?:it )?when|use for|better (?:for|than|when|with)|worse|faster|slower|expensive|cheaper|costly|cost|however|but)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TradeOff();

    [GeneratedRegex(@"\b(?:pitfalls?|mistakes?|misconceptions?|careful|beware|caution|avoid|don't|do not|never|common errors?|traps?|not the same|confused with|wrongly|mistaken(?:ly)?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pitfall();
}
