using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace MlTutor.Answering;

/// <summary>
/// The request that has a language model rewrite the last turn of a conversation as a question that stands alone ("and
/// its disadvantages?" after "What is k-nearest neighbors?" → "What are the disadvantages of k-nearest neighbors?"), and
/// how its reply is read. A reply that is not one plain question is no rewrite: the caller then reads the turn by the
/// offline rule.
/// </summary>
public static partial class StandaloneRewrite
{
    /// <summary>Most tokens the model may write: a question, not an answer.</summary>
    public const int MaxTokens = 96;

    /// <summary>The messages: the instruction, one worked example (small models follow an example better than a rule),
    /// then the earlier questions (oldest first) and the last one.</summary>
    public static IReadOnlyList<ChatMessage> Messages(IReadOnlyList<string> history, string question)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(question);
        return
        [
            new ChatMessage(ChatRole.System,
                "Rewrite the user's last question so that it can be understood without the conversation: replace words "
                + "such as \"it\", \"that\" or \"the first one\" with what they refer to, and add the topic when the "
                + "question leaves it out. A question that already stands alone is kept as it is. Do not answer it. Reply "
                + "with the rewritten question only."),
            new ChatMessage(ChatRole.User, Turns(["What is gradient descent?"], "how do I pick its learning rate?")),
            new ChatMessage(ChatRole.Assistant, ExampleRewrite),
            new ChatMessage(ChatRole.User, Turns(history, question)),
        ];
    }

    private const string ExampleRewrite = "How do I pick the learning rate of gradient descent?";

    private static string Turns(IReadOnlyList<string> history, string question)
    {
        var text = new StringBuilder("Earlier questions:\n");
        foreach (var earlier in history) text.Append("- ").Append(earlier.Trim()).Append('\n');
        return text.Append("Last question: ").Append(question.Trim()).ToString();
    }

    /// <summary>
    /// The rewritten question in <paramref name="reply"/>: its first line that is not a label ("Rewritten question:"),
    /// without a label or quotes around it. Null when there is none, when it only repeats an earlier question or the
    /// example's rewrite (the model lost the last question) or when it is much longer than the conversation it was made from (an answer rather than a
    /// question).
    /// </summary>
    public static string? Read(string reply, IReadOnlyList<string> history, string question)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(question);
        var line = reply.Split('\n').Select(l => Label().Replace(l.Trim(), "").Trim().Trim('"', '\'', '“', '”', '`').Trim())
            .FirstOrDefault(l => l.Length > 0 && !l.EndsWith(':'));
        if (line is null || !line.Any(char.IsLetter)) return null;
        if (history.Append(ExampleRewrite).Any(h => Comparable(h) == Comparable(line))) return null;
        return line.Length <= history.Sum(h => h.Length) + question.Length + 40 ? line : null;
    }

    private static string Comparable(string question) => question.Trim().TrimEnd('?', '.', '!', ' ').ToLowerInvariant();

    // "Standalone question:", "Rewritten question -", "Question:" and the like that small models put first.
    [GeneratedRegex(@"^[\w ]{0,30}question\s*[:\-–]\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
