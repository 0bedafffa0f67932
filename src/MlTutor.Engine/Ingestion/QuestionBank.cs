using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>
/// A question the notes themselves answer: a flashcard's front, a "Q: …" line, or a heading written as a question
/// ("What is a Kernel?"), with where the notes answer it.
/// </summary>
/// <param name="ItemId">The stable id of the flashcard, Q/A pair or section (<see cref="NoteItem.Id"/>).</param>
/// <param name="StartLine">1-based, inclusive: the item's first line in the note.</param>
/// <param name="EndLine">1-based, inclusive.</param>
/// <param name="HeadingPath">The headings above the item.</param>
public sealed record BankQuestion(string ItemId, string Question, string File, int StartLine, int EndLine, string HeadingPath, ItemKind Kind)
{
    /// <summary>The name of <see cref="Kind"/> as hosts show it: "flashcard", "qa" or "heading".</summary>
    public string KindName => Kind switch { ItemKind.Flashcard => "flashcard", ItemKind.QaPair => "qa", _ => "heading" };

    /// <summary>The claims its answer makes, as the note was chunked (<see cref="NoteItem.KeyPoints"/>).</summary>
    public IReadOnlyList<ItemKeyPoint> KeyPoints { get; init; } = [];
}

/// <summary>
/// The question bank: every question the notes answer, read from the chunks' structure, once each (an item cut into
/// several chunks is one question), in note order. Mock interviews ask them; an interviewer's follow-ups are taken from
/// them.
/// </summary>
public static partial class QuestionBank
{
    public static IReadOnlyList<BankQuestion> Of(IEnumerable<Chunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var bank = new Dictionary<string, BankQuestion>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (chunk.Structure is not { } structure) continue;
            foreach (var item in structure.Items)
            {
                // An answer cut into several chunks ends in the last of them.
                if (bank.TryGetValue(item.Id, out var known))
                {
                    bank[item.Id] = known with { EndLine = Math.Max(known.EndLine, chunk.StartLine + item.LastLine) };
                    continue;
                }
                if (QuestionOf(item) is not { Length: > 0 } text) continue;
                bank[item.Id] = new BankQuestion(item.Id, text, chunk.File, chunk.StartLine + item.FirstLine, chunk.StartLine + item.LastLine,
                    item.HeadingPath, item.Kind) { KeyPoints = item.KeyPoints };
            }
        }
        return [.. bank.Values.OrderBy(q => q.File, StringComparer.Ordinal).ThenBy(q => q.StartLine)];
    }

    /// <summary>The question an item asks, without its "Q:" label or emphasis: a flashcard's or pair's own, or a section's
    /// heading when that is a question; null otherwise.</summary>
    private static string? QuestionOf(NoteItem item)
    {
        if (item.Kind != ItemKind.Section)
            return item.Question is { } q ? QuestionLead().Replace(q.Replace("**", "").Trim(), "").Trim() : null;
        var heading = item.HeadingPath.Split(HeadingText.Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return heading is not null && heading.EndsWith('?') ? SectionNumber.Strip(heading).Trim() : null;
    }

    // "Q:", "Q1.", "Question:" before a flashcard's question are its label, not its words.
    [GeneratedRegex(@"^(?:Q(?:uestion)?\s*\d*\s*[:.)]\s*)", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLead();
}
