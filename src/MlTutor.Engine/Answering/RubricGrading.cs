using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using MlTutor.Ingestion;

namespace MlTutor.Answering;

/// <summary>
/// A language model's grade of an interview answer, as read from its reply: the key points (numbered from 1, as the
/// model was shown them) it found covered and missed, its score from 0 to 1, and its feedback to the candidate.
/// </summary>
/// <param name="Score">Null when the reply gave no score that could be read: the grade is then only the feedback.</param>
/// <param name="Feedback">What the model says to the candidate; the whole reply when it kept to no format.</param>
public sealed record ModelGrade(double? Score, IReadOnlyList<int> Covered, IReadOnlyList<int> Missed, string Feedback)
{
    /// <summary>Whether the reply kept to the rubric's format (a score at least).</summary>
    public bool Readable => Score is not null;
}

/// <summary>
/// The request that has a language model grade an interview answer as an interviewer with a rubric would: against the
/// numbered key points the notes give for the question, never against what the model itself knows; and how its reply is
/// read. The reply is asked for as four labelled lines, not JSON: small local models keep to labels far more reliably
/// than to braces and quotes, and a reply that keeps to neither still yields its text as feedback.
/// </summary>
public static partial class RubricGrading
{
    /// <summary>Most tokens the model may write: four lines, the last a few sentences.</summary>
    public const int MaxTokens = 320;

    /// <summary>The longest feedback kept: a model that rambles is cut at a sentence end before this.</summary>
    public const int MaxFeedbackChars = 900;

    public const string Instruction =
        "You are a technical interviewer for a machine-learning role, grading the candidate's spoken answer. "
        + "Judge the answer ONLY against the numbered key points from the candidate's notes: a key point is covered when the "
        + "answer states it, in any words; a key point the answer gets wrong or contradicts is missed. Do not reward facts "
        + "that are not among the key points, and do not judge style. Reply in exactly four lines:\n"
        + "Covered: the numbers of the key points the answer covers, or none\n"
        + "Missed: the numbers of the key points it misses or gets wrong, or none\n"
        + "Score: a whole number from 0 to 10 for the whole answer\n"
        + "Feedback: two or three sentences to the candidate: what was right, what was missing or wrong";

    /// <summary>The messages: the rubric, one worked example (small models follow an example better than a rule), then
    /// the question, its key points and the answer. The example is left out when the prompt would not fit
    /// <paramref name="maxPromptTokens"/>, and then the answer is cut to fit.</summary>
    public static IReadOnlyList<ChatMessage> Messages(string question, IReadOnlyList<string> keyPoints, string answer, int maxPromptTokens)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(keyPoints);
        ArgumentNullException.ThrowIfNull(answer);
        var example = new ChatMessage[]
        {
            new(ChatRole.User, UserMessage(ExampleQuestion, ExamplePoints, ExampleAnswer)),
            new(ChatRole.Assistant, ExampleReply),
        };
        var user = UserMessage(question, keyPoints, answer);
        var fixedTokens = TokenEstimate.OfMessage(Instruction) + TokenEstimate.OfMessage(user);
        var exampleTokens = example.Sum(m => TokenEstimate.OfMessage(m.Text));
        if (fixedTokens + exampleTokens <= maxPromptTokens)
            return [new ChatMessage(ChatRole.System, Instruction), .. example, new ChatMessage(ChatRole.User, user)];
        if (fixedTokens > maxPromptTokens)
        {
            var room = Math.Max(0, answer.Length - (int)((fixedTokens - maxPromptTokens) * TokenEstimate.CharactersPerToken));
            user = UserMessage(question, keyPoints, answer[..room].TrimEnd() + " …");
        }
        return [new ChatMessage(ChatRole.System, Instruction), new ChatMessage(ChatRole.User, user)];
    }

    private const string ExampleQuestion = "What does dropout do?";

    private static readonly string[] ExamplePoints =
    [
        "Dropout randomly sets a fraction of the units to zero at each training step.",
        "It reduces overfitting: units cannot rely on particular other units being present.",
        "At test time every unit is used and the activations are scaled to match training.",
    ];

    private const string ExampleAnswer = "Dropout switches off random neurons while the network trains, so it overfits less.";

    private const string ExampleReply = "Covered: 1, 2\nMissed: 3\nScore: 6\n"
        + "Feedback: You explained what dropout does during training and why it reduces overfitting. "
        + "You did not say what happens at test time: every unit is used and the activations are scaled.";

    private static string UserMessage(string question, IReadOnlyList<string> keyPoints, string answer)
    {
        var text = new StringBuilder("Question: ").Append(question.Trim()).Append("\n\nKey points from the notes:\n");
        for (var i = 0; i < keyPoints.Count; i++) text.Append(i + 1).Append(". ").Append(Whitespace.Collapse(keyPoints[i]).Trim()).Append('\n');
        return text.Append("\nCandidate's answer:\n").Append(answer.Trim()).ToString();
    }

    /// <summary>
    /// The grade in <paramref name="reply"/>, which graded <paramref name="keyPoints"/> key points. Labels are read
    /// wherever they stand and however they are decorated ("**Score:** 7/10"); a score out of 10 (or "7/10", "70%") becomes a
    /// share; numbers that name no key point are ignored, and a point called both covered and missed is missed. A reply
    /// with no score keeps its text as the feedback.
    /// </summary>
    public static ModelGrade Read(string reply, int keyPoints)
    {
        ArgumentNullException.ThrowIfNull(reply);
        string? covered = null, missed = null, score = null;
        var feedback = new StringBuilder();
        var inFeedback = false;
        foreach (var raw in reply.Split('\n'))
        {
            var line = Decoration().Replace(raw, "").Trim();
            var label = Label().Match(line);
            if (label.Success)
            {
                var value = line[label.Length..].Trim();
                inFeedback = false;
                switch (label.Groups[1].Value.ToLowerInvariant())
                {
                    case "covered": covered ??= value; break;
                    case "missed": missed ??= value; break;
                    case "score": score ??= value; break;
                    default:
                        inFeedback = feedback.Length == 0;
                        if (inFeedback) feedback.Append(value);
                        break;
                }
            }
            else if (inFeedback && line.Length > 0) feedback.Append(' ').Append(line);
        }

        var share = ScoreOf(score);
        var missedPoints = Numbers(missed, keyPoints);
        var coveredPoints = Numbers(covered, keyPoints).Where(n => !missedPoints.Contains(n)).ToList();
        var text = share is null && feedback.Length == 0 ? reply : feedback.ToString();
        return new ModelGrade(share, coveredPoints, missedPoints, Cut(Whitespace.Collapse(text).Trim()));
    }

    private static double? ScoreOf(string? value)
    {
        if (value is null) return null;
        var m = ScoreValue().Match(value);
        if (!m.Success || !double.TryParse(m.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return null;
        double outOf = m.Groups["of"].Success && double.TryParse(m.Groups["of"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d
            : m.Groups["pct"].Success ? 100
            : n <= 1 && m.Groups["n"].Value.Contains('.') ? 1
            : n <= 10 ? 10 : 100;
        return Math.Round(Math.Clamp(n / outOf, 0, 1), 3);
    }

    private static List<int> Numbers(string? value, int keyPoints) => value is null ? []
        : [.. Number().Matches(value).Select(m => int.TryParse(m.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n >= 1 && n <= keyPoints).Distinct().Order()];

    /// <summary>The feedback up to its last finished sentence: a reply stopped by the token limit or at a repeat, or cut
    /// here for length, ends mid-sentence. A feedback with no finished sentence is kept as it is.</summary>
    private static string Cut(string text)
    {
        if (text.Length > MaxFeedbackChars) text = text[..MaxFeedbackChars].TrimEnd() + "…";
        if (text.Length == 0 || SentenceEnd().IsMatch(text[^1].ToString())) return text;
        var last = SentenceEnd().Matches(text).LastOrDefault(m => m.Index + 1 < text.Length && char.IsWhiteSpace(text[m.Index + 1]));
        return last is null ? text : text[..(last.Index + 1)];
    }

    [GeneratedRegex(@"[.!?]")]
    private static partial Regex SentenceEnd();

    // Markdown that models wrap labels in: bullets, bold, headings.
    [GeneratedRegex(@"^\s*(?:[-*#>]+\s*)?|\*\*|__")]
    private static partial Regex Decoration();

    // A label is followed by its separator: a feedback sentence may well start with "Covered" or "Score".
    [GeneratedRegex(@"^(covered|missed|score|feedback)\s*[:\-–=]\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    // ASCII digits only: .NET's \d takes any script's digits, which no number parser here reads.
    [GeneratedRegex(@"(?<n>[0-9]+(?:\.[0-9]+)?)\s*(?:(?<pct>%)|(?:/|out\s+of)\s*(?<of>[0-9]+(?:\.[0-9]+)?))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScoreValue();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex Number();
}
