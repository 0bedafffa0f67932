using System.Text;
using System.Text.RegularExpressions;

namespace MlTutor.Answering;

/// <summary>
/// Checks the citation markers of a reply as it streams in: text is passed on as soon as it cannot be part of a marker,
/// a marker such as [2] or [1, 3] keeps only the numbers that name a passage of the prompt, and one naming none is
/// removed with the space before it. What was passed on is exactly the checked text, so what the user saw streaming is
/// what the final answer says. A reasoning model's opening &lt;think&gt;…&lt;/think&gt; block is not passed on.
/// </summary>
public sealed partial class CitationCheck(int passages)
{
    /// <summary>Longer than any marker worth reading: a '[' this far back opened something else (a list, a formula).</summary>
    private const int MaxMarkerLength = 40;

    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _checked = new();
    private readonly SortedSet<int> _cited = [];
    private readonly List<int> _dropped = [];
    private ThinkState _think = ThinkState.Undecided;

    /// <summary>The passage numbers cited so far, ascending.</summary>
    public IReadOnlyCollection<int> Cited => _cited;

    /// <summary>The numbers of markers that named no passage, in the order they came, each once.</summary>
    public IReadOnlyList<int> Dropped => _dropped;

    /// <summary>The checked text passed on so far.</summary>
    public string Text => _checked.ToString();

    /// <summary>Takes the next piece of the reply; returns the checked text that can be shown now (possibly empty).</summary>
    public string Push(string piece)
    {
        _pending.Append(piece);
        if (!PastThinking()) return "";
        var pending = _pending.ToString();
        var hold = HoldFrom(pending);
        _pending.Clear().Append(pending, hold, pending.Length - hold);
        return Pass(pending[..hold]);
    }

    /// <summary>The reply has ended: the rest, checked.</summary>
    public string Finish()
    {
        // An unfinished think block is scratch work, never an answer.
        var rest = _think == ThinkState.Inside ? "" : _pending.ToString();
        _pending.Clear();
        return Pass(rest);
    }

    private string Pass(string text)
    {
        if (text.Length == 0) return "";
        var done = Markers().Replace(text, Check);
        // The answer starts at its first word: servers often open a reply with a space or a line break.
        if (_checked.Length == 0) done = done.TrimStart();
        _checked.Append(done);
        return done;
    }

    private string Check(Match m)
    {
        var numbers = m.Groups[2].Value.Split([',', ';'], StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var n) ? n : 0).Distinct().ToList();
        var valid = numbers.Where(n => n >= 1 && n <= passages).ToList();
        foreach (var n in numbers.Except(valid))
            if (!_dropped.Contains(n)) _dropped.Add(n);
        _cited.UnionWith(valid);
        // A dropped marker takes its leading space with it, so no "word ." is left behind.
        return valid.Count == 0 ? "" : $"{m.Groups[1].Value}[{string.Join(", ", valid)}]";
    }

    /// <summary>Where the text that might still become a marker starts: an open '[' with only digits and separators after
    /// it (and the space before it), or a last space that a marker might follow.</summary>
    private static int HoldFrom(string text)
    {
        var open = text.LastIndexOf('[');
        if (open >= 0 && text.Length - open <= MaxMarkerLength && MarkerSoFar().IsMatch(text.AsSpan(open + 1)))
            return open > 0 && text[open - 1] is ' ' or '\t' ? open - 1 : open;
        return text.Length > 0 && text[^1] is ' ' or '\t' ? text.Length - 1 : text.Length;
    }

    /// <summary>Whether the reply's text can be checked yet: false while it may still open, or is inside, a think block.</summary>
    private bool PastThinking()
    {
        if (_think == ThinkState.Past) return true;
        var text = _pending.ToString();
        var start = text.TrimStart();
        if (_think == ThinkState.Undecided)
        {
            if (start.Length < ThinkOpen.Length && ThinkOpen.StartsWith(start, StringComparison.Ordinal)) return false;
            if (!start.StartsWith(ThinkOpen, StringComparison.Ordinal))
            {
                _think = ThinkState.Past;
                return true;
            }
            _think = ThinkState.Inside;
        }
        var close = text.IndexOf(ThinkClose, StringComparison.Ordinal);
        if (close < 0) return false;
        _pending.Clear().Append(text.AsSpan(close + ThinkClose.Length).TrimStart());
        _think = ThinkState.Past;
        return true;
    }

    private enum ThinkState { Undecided, Inside, Past }

    /// <summary>The passage numbers the markers of a checked text name.</summary>
    public static HashSet<int> Numbers(string text) =>
        Markers().Matches(text).SelectMany(m => m.Groups[2].Value.Split([',', ';'], StringSplitOptions.TrimEntries))
            .Select(n => int.TryParse(n, out var v) ? v : 0).Where(n => n > 0).ToHashSet();

    [GeneratedRegex(@"([ \t]?)\[(\d+(?:\s*[,;]\s*\d+)*)\]")]
    private static partial Regex Markers();

    [GeneratedRegex(@"^[\d\s,;]*$")]
    private static partial Regex MarkerSoFar();
}
