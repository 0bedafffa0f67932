using System.Text.RegularExpressions;

namespace MlTutor.Tutoring;

/// <summary>
/// A question as a turn of a conversation: whether its wording points back at the earlier turns, and the text it is
/// retrieved with when it leans on them. The cues are the ordinary ways English refers back (pronouns, "the first
/// one", "the other", an opening "and …" or "what about …"); a question that names its own topic and uses none of them
/// is read alone, so that a change of topic leaves the earlier turns behind.
/// </summary>
public static partial class FollowUpQuestion
{
    /// <summary>Whether the wording of <paramref name="question"/> refers to something said before.</summary>
    public static bool PointsBack(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Pronoun().IsMatch(question) || ReferringPhrase().IsMatch(question) || ContinuingOpening().IsMatch(question.TrimStart());
    }

    /// <summary>
    /// Whether <paramref name="question"/> says it goes back to an earlier turn than the last ("going back to your first
    /// answer, …", "back to the spam thing"). It is a follow-up by its own words, of the turns before the last: read with
    /// the last one it would be retrieved for the topic it leaves.
    /// </summary>
    public static bool GoesBack(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return GoingBack().IsMatch(question);
    }

    /// <summary>
    /// Whether a question read with the earlier turns behaves as a follow-up, from the best dense match
    /// (<see cref="Retrieval.CoverageFeature.TopDense"/>) of the question alone, of the two read together and of the
    /// earlier turns alone. A follow-up borrows its topic from them: together they match better than the question alone, and the
    /// question gains at least as much as the earlier turns give up (the joined match lies above the midpoint of the
    /// two), and the earlier turns give up at most <see cref="MaxTopicDrift"/>. A new question mixed with an old topic
    /// blurs both, and its joined match falls between them or below.
    /// </summary>
    /// <param name="ownWordsFound">For a question whose wording points back, called only when it drifts further: the share
    /// of the question's own words (weighed by rarity) that the passages found with the earlier turns hold. A follow-up
    /// that asks about another part of the same topic ("why are the skip connections such a big deal in it?" after U-Net)
    /// moves the match off the earlier turns' best passage, yet its words are in the passages on that topic; a question
    /// the topic's notes do not answer ("who came up with it, which paper?") finds its words elsewhere or nowhere. Null
    /// for a question that does not point back (an ellipsis): without a word that refers back, drifting that far means
    /// another topic.</param>
    public static bool ReadsAsFollowUp(float? alone, float? joined, float? earlier, Func<double>? ownWordsFound) =>
        alone is { } a && joined is { } j && earlier is { } e
        && j > a && j - a >= e - j
        && (e - j <= MaxTopicDrift || (ownWordsFound is not null && ownWordsFound() >= MinOwnWordsFound));

    /// <summary>How much lower the best dense match of the earlier turns may fall once a question is added to them for the
    /// question still to count as a follow-up (a cosine), unless its own words are found (see <see cref="MinOwnWordsFound"/>).</summary>
    public const float MaxTopicDrift = 0.06f;

    /// <summary>The share of a drifting follow-up's own words, weighed by rarity, that the passages found with the earlier
    /// turns must hold for it to still count as a follow-up. A question keeps words of its own that no passage holds
    /// ("why … such a big deal"), so a third of the weight is already telling; a question the topic does not answer finds
    /// almost none.</summary>
    public const double MinOwnWordsFound = 0.3;

    /// <summary>How many of the best passages found with the earlier turns are searched for a follow-up's own words: those
    /// an answer quotes from.</summary>
    public const int PassagesSearchedForOwnWords = 3;

    /// <summary>
    /// The text a follow-up is retrieved with: the earlier questions (oldest first) and then the question, as one sentence
    /// of clauses. Each earlier question loses its end mark so that the text is searched as one question rather than
    /// part by part (<c>QuestionParts</c>), where an earlier question alone would match its own passage best. When the
    /// whole is longer than <paramref name="maxChars"/>, the oldest questions are left out first.
    /// </summary>
    public static string Standalone(IReadOnlyList<string> history, string question, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(question);
        var turns = history.Select(h => EndMark().Replace(h.Trim(), "")).Where(h => h.Length > 0).ToList();
        var text = question.Trim();
        for (var i = turns.Count - 1; i >= 0; i--)
        {
            var longer = turns[i] + ", " + text;
            if (longer.Length > maxChars) break;
            text = longer;
        }
        return QuestionText.Cut(text, maxChars);
    }

    // Pronouns that stand for something named earlier ("how do I tune it?", "what are they for?").
    [GeneratedRegex(@"(?<![\w-])(it|its|itself|they|them|their|theirs|these|those|this|he|she|his|her)(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pronoun();

    // "That" refers back when it stands alone ("get around that?") or with a word that only names what was said ("that
    // one", "that way"); before anything else it usually starts a clause ("the loss that SVMs use"). Ordinals and
    // "other" point back with "the": "the first one", "the other kind", "the two".
    [GeneratedRegex(@"(?<![\w-])that(?=\s*(?:[?.!,;:]|$|\s(?:one|ones|way|kind|part|thing|approach|method|idea|case|step|trick|problem)\b))"
        + @"|(?<![\w-])the\s+(?:first|second|third|last|latter|former|other|previous|earlier|same|two|three|both)(?![\w-])"
        + @"|(?<![\w-])(?:both|either|neither)(?![\w-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReferringPhrase();

    // An opening that carries on from the last turn: "and …", "so …", "ok so …", "what about …", "going back to …".
    [GeneratedRegex(@"^(?:(?:ok(?:ay)?|right|also|then|and|so|but)(?![\w-])|(?:what|how)\s+about(?![\w-])|going\s+back(?![\w-]))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContinuingOpening();

    // Going back past the last turn: "going back to …", "coming back to the first one", "your first answer". A bare "back
    // to" is not enough: "how does the error flow back to the first layer?" goes nowhere in the conversation.
    [GeneratedRegex(@"(?<![\w-])(?:go|goes|going|went|get|getting|come|coming|jump|jumping)\s+back\s+to(?![\w-])"
        + @"|(?<![\w-])(?:your|the|my)\s+(?:first|earlier|original|previous)\s+(?:answer|question|point|topic)(?![\w-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GoingBack();

    [GeneratedRegex(@"[\s?.!;:,]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EndMark();
}
