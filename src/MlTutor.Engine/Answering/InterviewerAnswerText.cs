using System.Text;
using System.Text.RegularExpressions;
using MlTutor.Ingestion;

namespace MlTutor.Answering;

/// <summary>
/// An extractive answer as an interviewer puts it: the question as asked, the quotes as what a strong answer covers, and
/// a follow-up question taken from the passages.
/// </summary>
/// <param name="embedder">Picks the follow-up by similarity; null picks it by shared words.</param>
internal sealed partial class InterviewerAnswerText(SentenceEmbedder? embedder)
{
    /// <summary>How similar to the question a follow-up must be to count as on the same topic.</summary>
    private const double FollowUpFloor = 0.4;

    /// <summary>A flashcard question is preferred to a heading of about the same similarity: it is already a question.</summary>
    private const double QuestionBonus = 0.05;

    /// <param name="numbers">The citation number of each quoted passage, by the passage's rank.</param>
    /// <param name="pieces">Every piece of the passages, where follow-up questions are looked for.</param>
    public string Compose(string question, List<QuoteCandidate> chosen, Dictionary<int, int> numbers, List<QuoteCandidate> pieces)
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
    private string FollowUp(string question, List<QuoteCandidate> chosen, List<QuoteCandidate> pieces)
    {
        var options = FollowUpOptions(question, chosen, pieces);
        if (embedder != null && options.Count > 0)
        {
            var vectors = embedder.Embed([question, .. options.Select(o => o.Text)]);
            var best = Enumerable.Range(0, options.Count)
                .MaxBy(i => SentenceEmbedder.Cosine(vectors[0], vectors[i + 1]) + (options[i].IsQuestion ? QuestionBonus : 0));
            options = SentenceEmbedder.Cosine(vectors[0], vectors[best + 1]) >= FollowUpFloor ? [options[best]] : [];
        }
        if (options.Count == 0)
            return "Can you give a concrete example of this from a project you worked on?";
        return options[0].IsQuestion ? options[0].Text : $"How would you explain {options[0].Text}?";
    }

    /// <summary>The passages' flashcard questions and headings that could follow the question up, best first.</summary>
    private List<(string Text, bool IsQuestion)> FollowUpOptions(string question, List<QuoteCandidate> chosen, List<QuoteCandidate> pieces)
    {
        var cited = chosen.Select(c => c.Passage).ToHashSet();
        var asked = LexicalRelevance.Terms(question).ToHashSet();
        return pieces
            .Where(p => p.Sentence.Kind is SentenceKind.Question or SentenceKind.Heading)
            .OrderBy(p => p.Sentence.Kind == SentenceKind.Question ? 0 : 1)
            .ThenBy(p => cited.Contains(p.Passage) ? 0 : 1)
            .ThenBy(p => p.Passage).ThenBy(p => p.Order)
            .Select(p => (Text: QuestionLabel().Replace(SectionNumber.Strip(p.Sentence.Text), "").Trim().Trim('"', '“', '”').TrimEnd(':', '.').Trim(),
                IsQuestion: p.Sentence.Kind == SentenceKind.Question))
            .Where(o => o.Text.Length >= 4 && !o.Text.Contains("contents", StringComparison.OrdinalIgnoreCase))
            .Where(o => LexicalRelevance.Terms(o.Text) is { Count: > 0 } terms
                // A restatement: most of its words are the question's. One that adds to it ("…allow higher learning rates?") follows up.
                && LexicalRelevance.Overlap(o.Text, question) < 0.5
                && (embedder != null || terms.Any(asked.Contains)))
            .DistinctBy(o => o.Text, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>"Q:" or "Question 3:" before a flashcard's question.</summary>
    [GeneratedRegex(@"^(?:Q|Question)\s*\d*\s*[:.)]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLabel();

    [GeneratedRegex(@"^(?:what|whats|what's|how|why|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|could|should|would|will|shall|may|might|must|has|have|had)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AsksDirectly();
}
