using System.Text.RegularExpressions;

namespace MlTutor.Retrieval;

/// <summary>
/// The parts of a question that asks several things at once ("What is X? Why does Y happen?", "A — how does B work",
/// "what is X, and why Y"). One MiniLM vector of a long, many-part question is a blur of all its parts plus its chat
/// ("the way an interviewer would ask"); each part alone matches the passage that answers it more sharply.
/// </summary>
public static partial class QuestionParts
{
    /// <summary>Fewest words a part needs to be embedded on its own; shorter pieces are asides, not questions.</summary>
    public const int MinWords = 3;

    /// <summary>The parts of <paramref name="question"/> with at least <see cref="MinWords"/> words each, in order;
    /// empty when the question has fewer than two such parts (it is then searched whole only).</summary>
    public static IReadOnlyList<string> Split(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var parts = Boundary().Split(question.Trim())
            .Select(p => p.Trim())
            .Where(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= MinWords)
            .ToList();
        return parts.Count >= 2 ? parts : [];
    }

    // After a sentence end, colon, semicolon or dash that is followed by a space; or at ", and|or|but " joining two clauses.
    [GeneratedRegex(@"(?<=[?.!;:—–])\s+|,\s+(?:and|or|but)\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Boundary();
}
