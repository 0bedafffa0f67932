using System.Text.RegularExpressions;
using MlTutor.Answering;

namespace MlTutor.Tutoring;

/// <summary>
/// The content terms of a text (lower-cased, stemmed, stop words dropped, as <see cref="LexicalRelevance"/> reads them),
/// each with a word of the text it came from, so that a term can be shown and embedded as a word.
/// </summary>
public sealed partial class TermWords
{
    private readonly Dictionary<string, string> _words = new(StringComparer.Ordinal);
    private readonly List<string> _inOrder = [];

    public TermWords(string text)
    {
        foreach (Match m in Word().Matches(text))
            foreach (var term in LexicalRelevance.Terms(m.Value))
                if (_words.TryAdd(term, m.Value.ToLowerInvariant())) _inOrder.Add(term);
    }

    public IReadOnlyCollection<string> Terms => _words.Keys;

    /// <summary>The terms in the order the text first uses them.</summary>
    public IReadOnlyList<string> InOrder => _inOrder;
    public int Count => _words.Count;
    public bool Contains(string term) => _words.ContainsKey(term);
    public string WordOf(string term) => _words[term];

    // Words, numbers and names with underscores or digits ("d_k", "L2", "fp32"); symbols between them separate terms.
    [GeneratedRegex(@"[\p{L}\p{N}_]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
