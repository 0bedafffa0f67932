using System.Text;

namespace MlTutor.Cli.Terminal;

/// <summary>
/// A one-line editor with the keys of a shell: Left/Right, Home/End, Ctrl-A/E move; Backspace, Delete, Ctrl-U (to the
/// start), Ctrl-K (to the end), Ctrl-W (a word back) delete; Up/Down walk the earlier lines. Ctrl-C clears the line, and
/// on an empty line leaves, as does Ctrl-D. The line is drawn again after each key, so a line longer than the terminal
/// wraps and is still edited in place.
/// </summary>
/// <remarks>RadLine, the line editor of Spectre.Console's authors, is built against a Spectre.Console this project cannot
/// reference beside its own (their types do not unify), so the editing is done here, on <see cref="Console.ReadKey(bool)"/>.</remarks>
public sealed class LineEditor(IReadOnlyList<string> history)
{
    private readonly StringBuilder _line = new();
    private int _cursor;
    private int _rowsAboveCursor;
    private int _historyAt = history.Count;
    private string _typed = "";

    /// <summary>Reads a line after <paramref name="prompt"/> (plain text, drawn in <paramref name="promptColour"/>);
    /// null when the user leaves.</summary>
    public string? ReadLine(string prompt, string promptColour)
    {
        var drawnPrompt = $"\u001b[{promptColour}m{prompt}\u001b[0m ";
        var promptWidth = prompt.Length + 1;
        Redraw(drawnPrompt, promptWidth);
        // Ctrl-C is a key while a line is typed; the signal it otherwise sends would end the process.
        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                switch (Apply(key))
                {
                    case Outcome.Submit:
                        MoveToEnd(promptWidth);
                        Console.Out.Write("\r\n");
                        return _line.ToString();
                    case Outcome.Leave:
                        MoveToEnd(promptWidth);
                        Console.Out.Write("\r\n");
                        return null;
                }
                Redraw(drawnPrompt, promptWidth);
            }
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    private enum Outcome { Edit, Submit, Leave }

    private Outcome Apply(ConsoleKeyInfo key)
    {
        var control = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Outcome.Submit;
            case ConsoleKey.C when control:
                if (_line.Length == 0) return Outcome.Leave;
                Set("");
                return Outcome.Edit;
            case ConsoleKey.D when control:
                if (_line.Length == 0) return Outcome.Leave;
                if (_cursor < _line.Length) _line.Remove(_cursor, 1);
                return Outcome.Edit;
            case ConsoleKey.LeftArrow or ConsoleKey.B when key.Key == ConsoleKey.LeftArrow || control:
                _cursor = Math.Max(0, _cursor - 1);
                return Outcome.Edit;
            case ConsoleKey.RightArrow or ConsoleKey.F when key.Key == ConsoleKey.RightArrow || control:
                _cursor = Math.Min(_line.Length, _cursor + 1);
                return Outcome.Edit;
            case ConsoleKey.Home or ConsoleKey.A when key.Key == ConsoleKey.Home || control:
                _cursor = 0;
                return Outcome.Edit;
            case ConsoleKey.End or ConsoleKey.E when key.Key == ConsoleKey.End || control:
                _cursor = _line.Length;
                return Outcome.Edit;
            case ConsoleKey.U when control:
                _line.Remove(0, _cursor);
                _cursor = 0;
                return Outcome.Edit;
            case ConsoleKey.K when control:
                _line.Remove(_cursor, _line.Length - _cursor);
                return Outcome.Edit;
            case ConsoleKey.W when control:
                var start = _cursor;
                while (start > 0 && _line[start - 1] == ' ') start--;
                while (start > 0 && _line[start - 1] != ' ') start--;
                _line.Remove(start, _cursor - start);
                _cursor = start;
                return Outcome.Edit;
            case ConsoleKey.Backspace:
                if (_cursor > 0) _line.Remove(--_cursor, 1);
                return Outcome.Edit;
            case ConsoleKey.Delete:
                if (_cursor < _line.Length) _line.Remove(_cursor, 1);
                return Outcome.Edit;
            case ConsoleKey.UpArrow or ConsoleKey.P when key.Key == ConsoleKey.UpArrow || control:
                Recall(-1);
                return Outcome.Edit;
            case ConsoleKey.DownArrow or ConsoleKey.N when key.Key == ConsoleKey.DownArrow || control:
                Recall(+1);
                return Outcome.Edit;
        }
        if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
        {
            _line.Insert(_cursor++, key.KeyChar);
            if (_historyAt == history.Count) _typed = _line.ToString();
        }
        else if (key.KeyChar == '\t')
        {
            _line.Insert(_cursor++, ' ');
        }
        return Outcome.Edit;
    }

    /// <summary>Moves through the earlier lines; past the newest, the line being typed comes back.</summary>
    private void Recall(int step)
    {
        var to = Math.Clamp(_historyAt + step, 0, history.Count);
        if (to == _historyAt) return;
        if (_historyAt == history.Count) _typed = _line.ToString();
        _historyAt = to;
        Set(to == history.Count ? _typed : history[to]);
    }

    private void Set(string text)
    {
        _line.Clear().Append(text);
        _cursor = _line.Length;
    }

    /// <summary>Draws the prompt and the line from the line's first row, and puts the cursor where it belongs.</summary>
    private void Redraw(string drawnPrompt, int promptWidth)
    {
        var width = Math.Max(10, Console.WindowWidth);
        var sb = new StringBuilder();
        if (_rowsAboveCursor > 0) sb.Append($"\u001b[{_rowsAboveCursor}A");
        sb.Append('\r').Append(drawnPrompt).Append(_line).Append("\u001b[J");
        var end = promptWidth + _line.Length;
        // A line that ends exactly at the edge leaves the cursor past it; a newline puts it at the next row's start.
        if (end > 0 && end % width == 0) sb.Append("\r\n");
        var endRow = end / width;
        var cursorAt = promptWidth + _cursor;
        var cursorRow = cursorAt / width;
        if (endRow > cursorRow) sb.Append($"\u001b[{endRow - cursorRow}A");
        sb.Append('\r');
        if (cursorAt % width > 0) sb.Append($"\u001b[{cursorAt % width}C");
        _rowsAboveCursor = cursorRow;
        Console.Out.Write(sb.ToString());
        Console.Out.Flush();
    }

    private void MoveToEnd(int promptWidth)
    {
        var width = Math.Max(10, Console.WindowWidth);
        var endRow = (promptWidth + _line.Length) / width;
        var down = endRow - _rowsAboveCursor;
        if (down > 0) Console.Out.Write($"\u001b[{down}B");
    }
}
