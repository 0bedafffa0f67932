using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>What a piece of a chunk is, which decides whether it can be quoted as an answer.</summary>
public enum SentenceKind
{
    /// <summary>A sentence of a paragraph.</summary>
    Prose,
    /// <summary>One item of a bulleted or numbered list.</summary>
    ListItem,
    /// <summary>One row of a tab-separated or pipe table, cells joined by " | ".</summary>
    TableRow,
    /// <summary>A question (e.g. a flashcard's front): material for a follow-up, never an answer.</summary>
    Question,
    /// <summary>A heading, markdown or plain-text: context and follow-up material, never an answer.</summary>
    Heading,
    /// <summary>A formula on lines of its own (a <c>$$...$$</c> display block or a line that is only math), kept whole.</summary>
    Formula,
}

/// <summary>
/// A quotable piece of a chunk's text, located by line so that a citation can point at exactly its lines.
/// </summary>
/// <param name="Text">The piece for display: markdown emphasis and list markers removed, whitespace collapsed,
/// table cells joined by " | "; otherwise the note's own words in the note's order.</param>
/// <param name="FirstLine">0-based index of its first line within the chunk text.</param>
/// <param name="LastLine">0-based index of its last line within the chunk text.</param>
/// <param name="Context">The nearest heading or flashcard question above it (what it is about), or null.</param>
/// <param name="IsFragment">True for pieces too thin to answer with: table-of-contents lines, lead-ins, short bits.</param>
public sealed partial record NoteSentence(
    string Text,
    int FirstLine,
    int LastLine,
    SentenceKind Kind,
    string? Context,
    bool IsFragment)
{
    /// <summary>A list item too short to quote alone ("Random swap"): quotable with the other items of its list.</summary>
    public bool IsShortItem { get; init; }

    /// <summary>Where a list item's line stands among a list's levels (<see cref="ListLevel"/>): an item standing higher
    /// than the first of a run of items ends their (nested) list. Set for the pieces of list items only.</summary>
    internal ListLevel Level { get; init; }

    /// <summary>A paragraph of one line that opens with a term in bold and says what it is ("**Recall:** $TP / (TP +
    /// FN)$"): the label of a list right under it, as a lead-in is.</summary>
    public bool NamesTerm { get; init; }

    /// <summary>The term a list item opens with, before a colon ("AlexNet (2012)" of "AlexNet (2012): eight layers…"): the
    /// item names its subject, as a table row does in its first cell. Null for any other piece.</summary>
    public string? Term => Kind == SentenceKind.ListItem && TermOpening().Match(Text) is { Success: true } m ? m.Groups["term"].Value : null;

    /// <summary>A table's first row, which names its columns: the label of the rows under it.</summary>
    public bool IsHeaderRow { get; init; }

    /// <summary>Whether this piece may be quoted as (part of) an answer.</summary>
    public bool IsQuotable => !IsFragment && Kind is SentenceKind.Prose or SentenceKind.ListItem or SentenceKind.TableRow or SentenceKind.Formula;

    /// <summary>What a heading names when its line says more: a card title that an export glued to the badge before it
    /// ("📊 RegressionMAE / L1 Loss" names "MAE / L1 Loss"). Null when the line is the title; a quote shows the line.</summary>
    public string? Title { get; init; }

    /// <summary>The sentence stops where the formula right after it goes on ("When p is one-hot, this simplifies to",
    /// then the formula): the formula is the rest of it.</summary>
    public bool RunsIntoFormula { get; init; }

    /// <summary>A piece ending in ':' ("Closed-form solution:") announces the formula, list or row after it; a sentence
    /// that runs into a formula announces that formula.</summary>
    public bool IsLeadIn => Kind is SentenceKind.Prose or SentenceKind.ListItem && (Text.EndsWith(':') || RunsIntoFormula);

    /// <summary>The piece is or holds math: a display formula, inline TeX (<c>$...$</c>, <c>\frac</c>) or a math symbol. A
    /// bullet or arrow written in TeX (<c>$\rightarrow$</c>, <c>$\circ$</c>), as notes converted from documents have them,
    /// is punctuation, not math.</summary>
    public bool HasMath => Kind == SentenceKind.Formula || MathPattern().Matches(Text).Any(m => !TexPunctuation().IsMatch(m.Value));

    /// <summary>The piece opens by pointing back ("This is known as the kernel trick."): it needs the piece before it.
    /// An "it" that stands for what follows ("It is important to scale the features.") points nowhere.</summary>
    public bool RefersBack => Kind is SentenceKind.Prose or SentenceKind.ListItem && ReferringOpening().IsMatch(Text)
        && !AnticipatoryIt().IsMatch(Text);

    [GeneratedRegex(@"^(?<term>[^:;]{1,50}):\s+\S", RegexOptions.CultureInvariant)]
    private static partial Regex TermOpening();

    [GeneratedRegex(@"^(?:This|These|That|Those|It|Its|They|Their|Such|Thus|Hence|Therefore)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ReferringOpening();

    [GeneratedRegex(@"^It(?: is|'s| was| can be| may be)(?: not)? \w+ (?:to|that|whether|if|how)\b", RegexOptions.CultureInvariant)]
    private static partial Regex AnticipatoryIt();

    [GeneratedRegex(@"\$[^$]+\$|\\[a-zA-Z]{2,}|[∑√∂∇]")]
    private static partial Regex MathPattern();

    [GeneratedRegex(@"^\$?\s*\\(?:(?:long)?(?:right|left|Right|Left|Long(?:right|left))arrow|(?:left|Left)rightarrow|uparrow|downarrow|to|implies|iff|mapsto|circ|bullet|cdot|l?dots|cdots|star|ast|checkmark)\s*\$?$")]
    private static partial Regex TexPunctuation();
}
