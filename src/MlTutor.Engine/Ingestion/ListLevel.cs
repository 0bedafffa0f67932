namespace MlTutor.Ingestion;

/// <summary>
/// How deep a list line stands: by its indent (a tab to the next multiple of four columns), then by its marker, a numbered
/// item above a bulleted one at the same indent (notes often number the topics and bullet what is said of each). A smaller
/// level stands higher.
/// </summary>
internal readonly record struct ListLevel(int Indent, int Marker) : IComparable<ListLevel>
{
    public static ListLevel Of(string line)
    {
        var indent = 0;
        var at = 0;
        for (; at < line.Length && char.IsWhiteSpace(line[at]); at++)
            indent = line[at] == '\t' ? (indent / 4 + 1) * 4 : indent + 1;
        var marker = at < line.Length && char.IsDigit(line[at]) ? 0 : 1;
        return new ListLevel(indent, marker);
    }

    public int CompareTo(ListLevel other) => (Indent, Marker).CompareTo((other.Indent, other.Marker));
}
