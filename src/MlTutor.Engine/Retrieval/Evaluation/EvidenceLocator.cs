namespace MlTutor.Retrieval.Evaluation;

/// <summary>Where an evidence quote is: 1-based first and last line in a notes file.</summary>
public sealed record EvidenceSpan(string File, int FirstLine, int LastLine);

/// <summary>
/// Finds evidence quotes in the notes exactly as the project's scoring script (eval/score_run.py) does, so that figures
/// computed here match the script's: the file is read as UTF-8 text with line ends turned into '\n' (Python's universal
/// newlines), the quote's first ordinal occurrence is taken, its first line is the number of '\n' before it + 1 and its
/// last line is the first + the number of '\n' inside the quote.
/// </summary>
public sealed class EvidenceLocator
{
    private readonly Dictionary<string, string> _texts;

    /// <summary>Reads every file directly in <paramref name="corpusDirectory"/>, keyed by file name.</summary>
    public EvidenceLocator(string corpusDirectory)
    {
        if (!Directory.Exists(corpusDirectory))
            throw new DirectoryNotFoundException($"Corpus folder not found: {corpusDirectory}");
        _texts = Directory.EnumerateFiles(corpusDirectory)
            .ToDictionary(p => Path.GetFileName(p)!, p => NormalizeNewlines(File.ReadAllText(p)), StringComparer.Ordinal);
    }

    public EvidenceLocator(IReadOnlyDictionary<string, string> textsByFileName) =>
        _texts = textsByFileName.ToDictionary(p => p.Key, p => NormalizeNewlines(p.Value), StringComparer.Ordinal);

    public IReadOnlyCollection<string> Files => _texts.Keys;

    /// <summary>The quote's span, or null when its file is unknown or the quote is not in it verbatim.</summary>
    public EvidenceSpan? Locate(EvidenceQuote evidence)
    {
        if (!_texts.TryGetValue(evidence.File, out var text) || evidence.Quote.Length == 0)
            return null;
        var at = text.IndexOf(evidence.Quote, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var first = CountNewlines(text, 0, at) + 1;
        return new EvidenceSpan(evidence.File, first, first + CountNewlines(evidence.Quote, 0, evidence.Quote.Length));
    }

    /// <summary>The spans of all of <paramref name="question"/>'s evidence.</summary>
    /// <exception cref="InvalidDataException">A quote cannot be found (the message names the question, file and quote).</exception>
    public IReadOnlyList<EvidenceSpan> LocateAll(EvalQuestion question) =>
        question.Evidence.Select(e => Locate(e) ?? throw new InvalidDataException(
            _texts.ContainsKey(e.File)
                ? $"Question '{question.Id}': quote not found verbatim in {e.File}: \"{Shorten(e.Quote)}\""
                : $"Question '{question.Id}': unknown notes file '{e.File}'.")).ToList();

    /// <summary>The hit rule of the scoring script: same file name and overlapping line ranges.</summary>
    public static bool IsHit(string resultFile, int startLine, int endLine, EvidenceSpan span) =>
        Path.GetFileName(resultFile.Replace('\\', '/')) == span.File && startLine <= span.LastLine && span.FirstLine <= endLine;

    private static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static int CountNewlines(string text, int start, int end)
    {
        var count = 0;
        for (var i = start; i < end; i++)
            if (text[i] == '\n')
                count++;
        return count;
    }

    private static string Shorten(string quote) => quote.Length <= 60 ? quote : quote[..60] + "…";
}
