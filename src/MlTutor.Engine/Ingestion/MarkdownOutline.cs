using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MlTutor.Ingestion;

/// <summary>
/// Reads a markdown note into sections of blocks, using Markdig's syntax tree (with line positions) so chunks follow
/// the note's own structure: headings, paragraphs, lists with their lead-in, tables, code, math, and flashcards
/// (question, a line <c>???</c>, the answer; cards separated by <c>---</c>).
/// </summary>
internal sealed partial class MarkdownOutline
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UseMathematics()
        .UsePipeTables()
        .Build();

    private readonly IReadOnlyList<string> _lines;
    private readonly string _text;
    private readonly int[] _lineStarts;
    private readonly List<OutlineSection> _sections = [];
    private readonly List<HeadingEntry> _stack = [];
    private List<OutlineBlock> _blocks = [];
    private string? _title;
    private string _path = "";
    private bool _inTocSection;
    /// <summary>A table of contents or a thematic break lies between the last section and the one being read.</summary>
    private bool _edge;

    // Flashcards: the current card's question (null before the "???" line has been seen in this card).
    private readonly bool _flashcards;
    private bool _inQuestion;
    private StringBuilder? _question;
    private int _questionEnd;
    private string? _answerContext;

    // The current card as a chunk's structure shows it (see MarkCard): its blocks before the "???" line, then the card.
    private readonly List<OutlineBlock> _cardQuestion = [];
    private OutlineItem? _card;

    // A PDF conversion gives every heading an arbitrary level; its table of contents says which ones are chapters.
    private readonly List<string> _tocTitles = [];
    private bool _chapterMode;

    private sealed record HeadingEntry(int Level, string Text, int NumberDepth);

    private MarkdownOutline(IReadOnlyList<string> lines, string text, int[] lineStarts)
    {
        _lines = lines;
        _text = text;
        _lineStarts = lineStarts;
        _flashcards = lines.Any(l => l.Trim() == "???");
    }

    /// <summary>The document title (front matter <c>title:</c> or the first H1) and the sections of the note.</summary>
    /// <param name="warnings">Gets a warning naming the line of every fence or <c>$$</c> that is never closed.</param>
    public static (string? Title, IReadOnlyList<OutlineSection> Sections) Build(IReadOnlyList<string> lines, string file,
        ICollection<IngestionWarning> warnings)
    {
        // A "$$" that is never closed would make the rest of the note one formula, headings and all, so its line is
        // read as text instead (escaped for Markdig only: chunk texts come from the note's own lines). The formula then
        // stays a paragraph, which is never cut inside an open formula. Each round escapes every unclosed "$$" it finds
        // (those in quotes or lists end with their container, so there can be many); one left open at the top swallows
        // the rest of the note, so the ones after it show in the next round.
        var escaped = new HashSet<int>();
        while (true)
        {
            var (text, lineStarts) = Join(lines, escaped);
            var doc = Markdown.Parse(text, Pipeline);
            var open = doc.Descendants<MathBlock>().Where(m => m.ClosingFencedCharCount == 0 && !escaped.Contains(m.Line + 1)).ToList();
            if (open.Count > 0)
            {
                foreach (var block in open)
                {
                    escaped.Add(block.Line + 1);
                    warnings.Add(new IngestionWarning(file, block.Line + 1, "\"$$\" is never closed; read as text, not as a formula (close it with a line \"$$\")"));
                }
                continue;
            }
            var outline = new MarkdownOutline(lines, text, lineStarts);
            foreach (var fence in doc.Descendants<FencedCodeBlock>().Where(f => f is not MathBlock && f.ClosingFencedCharCount == 0))
                warnings.Add(new IngestionWarning(file, fence.Line + 1,
                    $"code fence is never closed; read as code to the end of the note (or of the quote or list it opens in); close it with a line \"{new string(fence.FencedChar, fence.OpeningFencedCharCount)}\""));
            outline.Walk(doc);
            return (outline._title, outline._sections);
        }
    }

    /// <summary>
    /// The text Markdig reads: the lines joined with '\n' alone (NoteLines took every kind of line ending off), so the
    /// line Markdig reports for a block, and the line of each offset, is the note's own line. Lines in
    /// <paramref name="escaped"/> get a backslash before their first "$$".
    /// </summary>
    private static (string Text, int[] LineStarts) Join(IReadOnlyList<string> lines, HashSet<int> escaped)
    {
        var sb = new StringBuilder();
        var lineStarts = new int[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) sb.Append('\n');
            lineStarts[i] = sb.Length;
            var line = lines[i];
            var dollars = escaped.Contains(i + 1) ? line.IndexOf("$$", StringComparison.Ordinal) : -1;
            sb.Append(dollars < 0 ? line : line.Insert(dollars, "\\"));
        }
        return (sb.ToString(), lineStarts);
    }

    private void Walk(MarkdownDocument doc)
    {
        var blocks = doc.ToList();
        var titleHeading = FindTitle(blocks);
        PrepareChapters(blocks);
        _path = _title ?? "";
        if (_flashcards) StartCard();

        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var (start, end) = LinesOf(block);
            switch (block)
            {
                case YamlFrontMatterBlock:
                case LinkReferenceDefinitionGroup:
                    continue;
                case HeadingBlock heading:
                    Flush();
                    if (ReferenceEquals(heading, titleHeading))
                    {
                        _stack.Clear();
                        _path = _title ?? "";
                        _inTocSection = false;
                        AddHeadingLine(start, end);
                    }
                    else
                    {
                        OnHeading(HeadingText.FromInline(heading.Inline), heading.Level, start, end);
                    }
                    continue;
                case ThematicBreakBlock:
                    Flush();
                    _edge = true;
                    if (_flashcards) StartCard();
                    continue;
            }
            if (_inTocSection) continue;

            var lines = Slice(start, end);
            if (block is ParagraphBlock paragraph)
            {
                if (_flashcards && lines.Count == 1 && lines[0].Trim() == "???")
                {
                    // The separator is not content, but it must not part the question from its answer either.
                    var separator = new OutlineBlock(start, end) { Embedded = false, GlueToNext = true, Kind = BlockKind.FlashcardSeparator, Name = "flashcard separator" };
                    _blocks.Add(separator);
                    MarkCard(separator);
                    _inQuestion = false;
                    _answerContext = _question?.ToString();
                    continue;
                }
                if (Boilerplate.IsTableOfContents(lines))
                {
                    // A table of contents is a hard edge: no chunk may run across it.
                    Flush();
                    _edge = true;
                    continue;
                }
                if (Boilerplate.HasNoContent(lines) || lines.All(l => string.IsNullOrWhiteSpace(l) || Boilerplate.IsPageNumber(l)))
                    continue;
                if (PseudoHeading(paragraph, lines) is { } pseudo)
                {
                    Flush();
                    OnHeading(pseudo, PseudoLevel(pseudo), start, end);
                    continue;
                }

                var b = new OutlineBlock(start, end);
                b.ProtectFormulas(_lines);
                if (lines.Count(l => l.Contains('\t')) >= 2)
                {
                    // A table pasted from a PDF (tab separated): continuations carry its header row.
                    b.Context = lines[0].Trim();
                    b.ContextLine = start;
                }
                if (i + 1 < blocks.Count && blocks[i + 1] is ListBlock)
                    b.GlueToNext = true; // a lead-in ("Three types:") stays with the list it introduces
                Add(b);
                continue;
            }

            if (Boilerplate.HasNoContent(lines)) continue;
            var ob = new OutlineBlock(start, end);
            switch (block)
            {
                case ListBlock list:
                    ob.Kind = BlockKind.ListItem;
                    ob.Name = "list";
                    MarkListCuts(list, ob);
                    ob.ProtectFormulas(_lines);
                    if (i > 0 && blocks[i - 1] is ParagraphBlock && _blocks.Count > 0 && _blocks[^1].GlueToNext && _blocks[^1].Kind == BlockKind.Paragraph)
                    {
                        ob.Context = Flatten(Slice(_blocks[^1].Start, _blocks[^1].End));
                        ob.ContextLine = _blocks[^1].End;
                    }
                    break;
                case FencedCodeBlock or CodeBlock when block is not MathBlock:
                    ob.Kind = BlockKind.Code;
                    ob.Name = "code block";
                    ob.DefaultInnerCut = CutRank.LastResort;
                    break;
                case MathBlock:
                    ob.Kind = BlockKind.Formula;
                    ob.Name = "formula";
                    ob.DefaultInnerCut = CutRank.InFormula;
                    break;
                case Table:
                    ob.Kind = BlockKind.Table;
                    ob.Name = "table";
                    ob.DefaultInnerCut = CutRank.LastResort;
                    ob.Context = lines[0].Trim();
                    ob.ContextLine = start;
                    break;
                default:
                    ob.Kind = block is QuoteBlock ? BlockKind.Quote : BlockKind.Other;
                    ob.Name = block.GetType().Name.Replace("Block", "").ToLowerInvariant();
                    ob.ProtectFormulas(_lines);
                    break;
            }
            Add(ob);
        }
        Flush();
    }

    private void Add(OutlineBlock b)
    {
        if (_flashcards) MarkCard(b);
        if (_flashcards && _inQuestion)
        {
            // Question blocks stay together and with the start of the answer.
            b.GlueToNext = true;
            _question ??= new StringBuilder();
            if (_question.Length > 0) _question.Append(' ');
            _question.Append(Flatten(Slice(b.Start, b.End)));
            _questionEnd = b.End;
        }
        else if (_answerContext is not null)
        {
            // Every part of an answer carries the question, so a piece of a long answer still says what it answers.
            b.Context = b.Context is null || b.ContextLine <= _questionEnd ? _answerContext : _answerContext + "\n" + b.Context;
            b.ContextLine = Math.Max(b.ContextLine, _questionEnd);
        }
        _blocks.Add(b);
    }

    private void StartCard()
    {
        _inQuestion = true;
        _question = null;
        _questionEnd = 0;
        _answerContext = null;
        _cardQuestion.Clear();
        _card = null;
    }

    /// <summary>
    /// Marks <paramref name="b"/> as part of the current card: a block of its question until a "???" line is seen, then
    /// of its answer. This is structure only; it is kept apart from how a card is cut (<see cref="_inQuestion"/> and the
    /// answer's context), which knows only a "???" paragraph of its own. A card written without empty lines is one
    /// paragraph (question, "???", answer), whose lines are then the card's parts.
    /// </summary>
    private void MarkCard(OutlineBlock b)
    {
        if (_card is not null)
        {
            b.Item = _card;
            if (b.Kind != BlockKind.FlashcardSeparator) b.Role = BlockRole.FlashcardAnswer;
            return;
        }
        var lines = Slice(b.Start, b.End);
        var separator = b.Kind is BlockKind.Paragraph or BlockKind.FlashcardSeparator ? lines.FindIndex(l => l.Trim() == "???") : -1;
        if (separator < 0)
        {
            _cardQuestion.Add(b);
            return;
        }
        var question = Flatten(_cardQuestion.SelectMany(q => Slice(q.Start, q.End)).Concat(lines.Take(separator)));
        if (question.Length == 0) return; // a "???" with nothing asked before it opens no card
        _card = new OutlineItem(ItemKind.Flashcard, _path, question);
        foreach (var q in _cardQuestion)
        {
            q.Item = _card;
            q.Role = BlockRole.FlashcardQuestion;
        }
        b.Item = _card;
        if (b.Kind != BlockKind.Paragraph) return;
        var at = b.Start + separator;
        b.Parts = [];
        if (at > b.Start) b.Parts.Add(new BlockPart(BlockKind.Paragraph, b.Start, at - 1, BlockRole.FlashcardQuestion));
        b.Parts.Add(new BlockPart(BlockKind.FlashcardSeparator, at, at));
        if (at < b.End) b.Parts.Add(new BlockPart(BlockKind.Paragraph, at + 1, b.End, BlockRole.FlashcardAnswer));
    }

    private void Flush()
    {
        if (_blocks.Count > 0)
        {
            // A note of flashcards is never joined across sections: one card is one chunk.
            _sections.Add(new OutlineSection(_path, _blocks, _edge || _flashcards));
            _edge = false;
        }
        _blocks = [];
    }

    private void AddHeadingLine(int start, int end) => _blocks.Add(OutlineBlock.HeadingLine(start, end));

    private void OnHeading(string text, int level, int start, int end)
    {
        if (text.Length == 0) return; // an empty heading names nothing: the path stays as it was
        // Leaving or entering a table of contents section is a hard edge too.
        _edge |= _inTocSection;
        _inTocSection = Boilerplate.IsTocHeading(text);
        _edge |= _inTocSection;
        if (_chapterMode)
        {
            // Chapters (found in the table of contents) sit right under the title; everything else under its chapter.
            var isChapter = IsTocTitle(text);
            level = isChapter ? 1 : 2;
            if (!isChapter && _stack.Count == 0) level = 1;
        }
        else
        {
            level = NumberedLevel(text, level);
        }
        while (_stack.Count > 0 && _stack[^1].Level >= level) _stack.RemoveAt(_stack.Count - 1);
        _stack.Add(new HeadingEntry(level, text, SectionNumber.Depth(text)));
        _path = HeadingText.Join([_title, .. _stack.Select(h => h.Text)]);
        if (_inTocSection) return;
        AddHeadingLine(start, end);
    }

    /// <summary>
    /// Front matter title, else the first heading when it is an H1: the document's name, put first in every path.
    /// Returns the heading block consumed as the title (null when the title came from front matter only).
    /// </summary>
    private HeadingBlock? FindTitle(List<Block> blocks)
    {
        if (blocks.OfType<YamlFrontMatterBlock>().FirstOrDefault() is { } fm)
        {
            var (s, e) = LinesOf(fm);
            _title = FrontMatter.Title(Slice(s, e));
        }
        var first = blocks.OfType<HeadingBlock>().FirstOrDefault();
        if (first is null || first.Level != 1) return null;
        var text = HeadingText.FromInline(first.Inline);
        if (text.Length == 0) return null;
        if (_title is null)
        {
            _title = text;
            return first;
        }
        return string.Equals(_title, text, StringComparison.OrdinalIgnoreCase) ? first : null;
    }

    private void PrepareChapters(List<Block> blocks)
    {
        foreach (var p in blocks.OfType<ParagraphBlock>())
        {
            var (s, e) = LinesOf(p);
            var lines = Slice(s, e);
            if (!Boilerplate.IsTableOfContents(lines)) continue;
            foreach (var line in lines)
                if (Boilerplate.IsTocLine(line, out _, out _))
                {
                    var title = Normalize(line.TrimEnd()[..line.TrimEnd().LastIndexOfAny([' ', '\t', '.', '…'])]);
                    if (title.Length > 0) _tocTitles.Add(title);
                }
        }
        if (_tocTitles.Count < 3) return;
        var matches = blocks.OfType<HeadingBlock>().Count(h => IsTocTitle(HeadingText.FromInline(h.Inline)));
        _chapterMode = matches >= 2;
    }

    private bool IsTocTitle(string heading)
    {
        var h = Normalize(heading);
        if (h.Length < 3) return false;
        // "6. Hyperparameters" inside a chapter is a numbered sub-section, not the chapter "Hyperparameters": a numbered
        // heading only matches a table-of-contents entry with the same number.
        var numbered = SectionNumber.Depth(heading) > 0;
        foreach (var t in _tocTitles)
        {
            if (numbered || char.IsDigit(t[0])) { if (t == h) return true; continue; }
            if (Math.Abs(t.Length - h.Length) > Math.Max(1, t.Length / 10)) continue;
            if (Levenshtein(t, h) <= Math.Max(1, t.Length / 10)) return true;
        }
        return false;
    }

    private static string Normalize(string s) =>
        new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    /// <summary>
    /// A paragraph that is one bold, numbered line ("**3.2 Recurrent Neural Networks**") is a heading whose '#' marks
    /// were lost in conversion.
    /// </summary>
    private static string? PseudoHeading(ParagraphBlock paragraph, IReadOnlyList<string> lines)
    {
        if (lines.Count != 1 || paragraph.Inline is null) return null;
        var parts = paragraph.Inline.Where(x => !(x is LiteralInline lit && string.IsNullOrWhiteSpace(lit.Content.ToString()))).ToList();
        if (parts is not [EmphasisInline { DelimiterCount: 2 } bold]) return null;
        var text = HeadingText.FromInline(bold);
        return SectionNumber.Depth(text) >= 2 ? text : null;
    }

    private int PseudoLevel(string text)
    {
        var depth = SectionNumber.Depth(text);
        for (var i = _stack.Count - 1; i >= 0; i--)
            if (_stack[i].NumberDepth == depth) return _stack[i].Level;
        for (var i = _stack.Count - 1; i >= 0; i--)
            if (_stack[i].NumberDepth == depth - 1) return _stack[i].Level + 1;
        return _stack.Count > 0 ? _stack[^1].Level + 1 : 1;
    }

    /// <summary>
    /// Converted notes mix '#' and '##' for sections of one rank; their numbers do not lie. A numbered heading
    /// ("3. Architectures") takes the level of the open heading with the same kind of number ("2. Basics") when its number
    /// comes after that one; otherwise its own markdown level stands.
    /// </summary>
    private int NumberedLevel(string text, int level)
    {
        var number = SectionNumber.Parts(text);
        if (number is null) return level;
        for (var i = _stack.Count - 1; i >= 0; i--)
        {
            var other = SectionNumber.Parts(_stack[i].Text);
            if (other is null || other.Length != number.Length) continue;
            return number.AsSpan().SequenceCompareTo(other) > 0 ? _stack[i].Level : level;
        }
        return level;
    }

    private void MarkListCuts(ListBlock list, OutlineBlock ob)
    {
        ob.Parts = [];
        foreach (var item in list.Descendants<ListItemBlock>())
        {
            var (itemStart, itemEnd) = LinesOf(item);
            var parentList = item.Parent as ListBlock;
            if (ReferenceEquals(parentList, list)) ob.Parts.Add(new BlockPart(BlockKind.ListItem, itemStart, itemEnd));
            int rank;
            if (ReferenceEquals(parentList, list)) rank = CutRank.Item;
            // The first sub-item stays with the line that introduces it; later sub-items may part.
            else if (parentList is not null && ReferenceEquals(parentList.FirstOrDefault(), item)) rank = CutRank.LastResort;
            else rank = CutRank.Line;
            // The cut goes after the last non-blank line before the item.
            var before = itemStart - 1;
            while (before > ob.Start && string.IsNullOrWhiteSpace(_lines[before - 1])) before--;
            for (var l = before; l < itemStart; l++) ob.SetInnerCut(l, l == before ? rank : CutRank.Never);
        }
    }

    private (int Start, int End) LinesOf(Block block)
    {
        var start = block.Span.Start >= 0 ? LineAt(block.Span.Start) : block.Line + 1;
        var end = block.Span.End >= block.Span.Start && block.Span.End >= 0 ? LineAt(block.Span.End) : start;
        // A fence that is never closed runs to the end of the note, but Markdig's span stops at its opening line;
        // its content lines say where it really ends.
        if (block is LeafBlock { Lines.Count: > 0 } leaf)
            end = Math.Max(end, Math.Min(_lines.Count, leaf.Lines.Lines[leaf.Lines.Count - 1].Line + 1));
        if (end < start) end = start;
        while (end > start && string.IsNullOrWhiteSpace(_lines[end - 1])) end--;
        while (start < end && string.IsNullOrWhiteSpace(_lines[start - 1])) start++;
        return (start, end);
    }

    private int LineAt(int offset)
    {
        offset = Math.Clamp(offset, 0, Math.Max(0, _text.Length - 1));
        var i = Array.BinarySearch(_lineStarts, offset);
        if (i < 0) i = ~i - 1;
        return Math.Clamp(i, 0, _lineStarts.Length - 1) + 1;
    }

    private List<string> Slice(int start, int end)
    {
        var list = new List<string>(end - start + 1);
        for (var l = start; l <= end; l++) list.Add(_lines[l - 1]);
        return list;
    }

    /// <summary>The lines trimmed and joined by single spaces, empty ones left out: how a question is quoted.</summary>
    internal static string Flatten(IEnumerable<string> lines) =>
        string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
}
