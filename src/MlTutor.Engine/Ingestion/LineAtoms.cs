namespace MlTutor.Ingestion;

/// <summary>
/// The words of a long line, at most 16 characters each (a formula without spaces is cut too), with their pieces
/// plus one for the space after them. Read lazily: a line past the part limit is never tokenized to its end.
/// </summary>
internal sealed class LineAtoms(string text, Func<string, int> pieces)
{
    private readonly List<(int Start, int Cost)> _atoms = [];
    private int _scanned;

    public (int Start, int Cost) this[int i] => Has(i) ? _atoms[i] : throw new ArgumentOutOfRangeException(nameof(i));

    public bool Has(int i)
    {
        while (_atoms.Count <= i && _scanned < text.Length)
        {
            var p = _scanned;
            while (p < text.Length && char.IsWhiteSpace(text[p])) p++;
            if (p >= text.Length) { _scanned = p; break; }
            var s = p;
            while (p < text.Length && !char.IsWhiteSpace(text[p]) && p - s < 16) p++;
            _atoms.Add((s, pieces(text[s..p]) + 1));
            _scanned = p;
        }
        return i < _atoms.Count;
    }
}
