using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace MlTutor.Cli.Terminal;

/// <summary>
/// Writes an answer's markdown to a terminal as it arrives: words wrapped at the terminal's width (a list item's lines
/// indented under its text), list bullets, headings, **bold**, *emphasis* and `code` styled, inline math shown in Unicode
/// (see <see cref="TerminalMath"/>), citation markers coloured. A word is written once it is whole, so a token that
/// stops mid-word or mid-formula waits for the rest.
/// </summary>
public sealed partial class TerminalAnswerWriter(IAnsiConsole console, int width)
{
    private readonly StringBuilder _pending = new();
    private readonly int _width = Math.Max(20, width);
    private int _column;
    private int _indent;
    private bool _lineStart = true;
    private bool _spaceBefore;
    private bool _bold;
    private bool _italic;
    private bool _heading;

    public void Write(string text)
    {
        _pending.Append(text);
        Drain(final: false);
    }

    /// <summary>Writes what is left and ends the line.</summary>
    public void Complete()
    {
        Drain(final: true);
        if (_column > 0) console.WriteLine();
        _column = 0;
        _lineStart = true;
    }

    private void Drain(bool final)
    {
        while (_pending.Length > 0)
        {
            if (_lineStart && !TryStartLine(final)) return;
            var c = _pending[0];
            if (c == '\n')
            {
                _pending.Remove(0, 1);
                EndLine();
                continue;
            }
            if (c is ' ' or '\t' or '\r')
            {
                _pending.Remove(0, 1);
                _spaceBefore = _column > _indent;
                continue;
            }
            var length = WordLength(final);
            if (length == 0) return;
            var word = _pending.ToString(0, length);
            _pending.Remove(0, length);
            WriteWord(word);
        }
    }

    /// <summary>Reads a line's opening (a bullet, a number, a heading's #) once enough of it has arrived.</summary>
    private bool TryStartLine(bool final)
    {
        var text = _pending.ToString();
        var newline = text.IndexOf('\n');
        // An opening is short: wait for a few characters or the end of the line before deciding.
        if (!final && newline < 0 && text.Length < 8) return false;
        _lineStart = false;
        _heading = false;
        var line = newline < 0 ? text : text[..newline];
        if (Bullet().Match(line) is { Success: true } bullet)
        {
            var lead = bullet.Groups[1].Value.Length;
            var mark = bullet.Groups[2].Value is "-" or "*" or "+" ? "•" : bullet.Groups[2].Value;
            console.Write(new string(' ', lead));
            console.Markup($"[cyan]{Markup.Escape(mark)}[/] ");
            _column = lead + mark.Length + 1;
            _indent = _column;
            _pending.Remove(0, bullet.Length);
        }
        else if (Heading().Match(line) is { Success: true } heading)
        {
            _heading = true;
            _indent = _column = 0;
            _pending.Remove(0, heading.Length);
        }
        else
        {
            var lead = line.Length - line.TrimStart(' ').Length;
            _indent = _column = Math.Min(lead, _width / 2);
            console.Write(new string(' ', _column));
            _pending.Remove(0, lead);
        }
        _spaceBefore = false;
        return true;
    }

    /// <summary>
    /// The length of the next whole word, or 0 when it may still grow. Inline math and code are one word however many
    /// spaces they hold; a $ with no closing one on its line is an ordinary character (a price).
    /// </summary>
    private int WordLength(bool final)
    {
        var text = _pending.ToString();
        var lineEnd = text.IndexOf('\n');
        var end = 0;
        while (end < text.Length && text[end] is not (' ' or '\t' or '\r' or '\n'))
        {
            var closer = text[end] switch { '$' => "$", '`' => "`", _ => null };
            if (closer is not null)
            {
                var open = text.Length > end + 1 && text[end] == '$' && text[end + 1] == '$' ? "$$" : closer;
                var close = text.IndexOf(open, end + open.Length, StringComparison.Ordinal);
                if (close >= 0 && (lineEnd < 0 || close < lineEnd))
                {
                    end = close + open.Length;
                    continue;
                }
                // Not closed yet: it may close in the next token, unless the line or the answer has ended.
                if (!final && lineEnd < 0) return 0;
            }
            end++;
        }
        return end < text.Length || final ? end : 0;
    }

    private void WriteWord(string word)
    {
        var pieces = Pieces(word);
        var visible = pieces.Sum(p => p.Text.Length);
        if (_spaceBefore && _column + 1 + visible > _width)
        {
            console.WriteLine();
            console.Write(new string(' ', _indent));
            _column = _indent;
            _spaceBefore = false;
        }
        if (_spaceBefore)
        {
            console.Write(" ");
            _column++;
        }
        foreach (var piece in pieces)
            console.Write(piece.Text, piece.Style);
        _column += visible;
        _spaceBefore = false;
    }

    private void EndLine()
    {
        console.WriteLine();
        _column = 0;
        _indent = 0;
        _lineStart = true;
        _spaceBefore = false;
        // Emphasis does not run past a line in the notes' markdown: a stray ** must not paint the rest of the answer.
        _bold = _italic = false;
    }

    /// <summary>A word cut into styled pieces: emphasis markers turned into style, math and code spans converted.</summary>
    private List<(string Text, Style Style)> Pieces(string word)
    {
        var pieces = new List<(string, Style)>();
        var at = 0;
        while (at < word.Length)
        {
            if (word.AsSpan(at).StartsWith("**") || word.AsSpan(at).StartsWith("__"))
            {
                _bold = !_bold;
                at += 2;
                continue;
            }
            if (word[at] == '*' && (_italic || at + 1 < word.Length))
            {
                _italic = !_italic;
                at++;
                continue;
            }
            if (Span().Match(word, at) is { Success: true, Index: var index } span && index == at)
            {
                pieces.Add(SpanPiece(span));
                at += span.Length;
                continue;
            }
            if (Marker().Match(word, at) is { Success: true, Index: var markerAt } marker && markerAt == at)
            {
                pieces.Add((marker.Value, new Style(Color.Yellow)));
                at += marker.Length;
                continue;
            }
            var next = NextSpecial(word, at + 1);
            pieces.Add((word[at..next], TextStyle()));
            at = next;
        }
        return pieces;
    }

    private (string, Style) SpanPiece(Match span)
    {
        if (span.Groups["code"].Success) return (span.Groups["code"].Value, new Style(Color.Aqua));
        var latex = span.Groups["math"].Value;
        return (TerminalMath.ToUnicode(latex) ?? span.Value, new Style(Color.Aqua, decoration: _bold ? Decoration.Bold : Decoration.None));
    }

    private static int NextSpecial(string word, int from)
    {
        for (var i = from; i < word.Length; i++)
            if (word[i] is '*' or '_' or '$' or '`' or '[')
                return i;
        return word.Length;
    }

    private Style TextStyle() =>
        new(decoration: (_bold || _heading ? Decoration.Bold : Decoration.None) | (_italic ? Decoration.Italic : Decoration.None));

    [GeneratedRegex(@"^( {0,6})([-*+]|\d{1,3}[.)]) +")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^#{1,6} +")]
    private static partial Regex Heading();

    /// <summary>Inline math as the notes write it ($…$, $$…$$) and as language models do (\(…\)), or a code span; a $
    /// followed by a space or a digit opens nothing (a price).</summary>
    [GeneratedRegex(@"\$\$(?<math>[^$]+)\$\$|\$(?<math>[^\s$\d][^$]*?)(?<!\s)\$(?!\d)|\\\((?<math>.+?)\\\)|`(?<code>[^`]+)`")]
    private static partial Regex Span();

    [GeneratedRegex(@"\[\d+(?:, *\d+)*\]")]
    private static partial Regex Marker();
}
