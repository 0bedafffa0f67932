using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MlTutor.Ingestion;

/// <summary>
/// Reads a markdown note into sections of blocks, using Markdig's syntax tree (with line positions) so chunks follow
/// the note's own structure: headings, paragraphs, lists with their lead-in, tables, code, math, and flashcards
/// (question, a line <c>???</c>, the answer; cards separated by <c>---</c>).
/// </summary>
internal sealed class MarkdownOutline
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UseMathematics()
        .UsePipeTables()
        .Build();

    private readonly MarkdownLines _source;
    private readonly string? _title;
    /// <summary>The first heading when it names the note: it opens the note's first section but adds nothing to the path.</summary>
    private readonly HeadingBlock? _titleHeading;
    private readonly HeadingStack _headings;
    /// <summary>Null when the note is not flashcards.</summary>
    private readonly Flashcards? _cards;

    private readonly List<OutlineSection> _sections = [];
    private List<OutlineBlock> _blocks = [];
    private bool _inTocSection;
    /// <summary>A table of contents or a thematic break lies between the last section and the one being read.</summary>
    private bool _edge;

    private MarkdownOutline(MarkdownLines source, List<Block> blocks)
    {
        _source = source;
        (_title, _titleHeading) = FindTitle(blocks, source);
        _headings = new HeadingStack(_title, TocChapters.Find(blocks, source));
        _cards = Flashcards.AreIn(source.Lines) ? new Flashcards(source) : null;
    }

    /// <summary>The document title (front matter <c>title:</c> or the first H1) and the sections of the note.</summary>
    /// <param name="warnings">Gets a warning naming the line of every fence or <c>$$</c> that is never closed.</param>
    public static (string? Title, IReadOnlyList<OutlineSection> Sections) Build(IReadOnlyList<string> lines, string file,
        ICollection<IngestionWarning> warnings)
    {
        var (source, doc) = Parse(lines, file, warnings);
        var blocks = doc.ToList();
        var outline = new MarkdownOutline(source, blocks);
        foreach (var fence in doc.Descendants<FencedCodeBlock>().Where(f => f is not MathBlock && f.ClosingFencedCharCount == 0))
            warnings.Add(new IngestionWarning(file, fence.Line + 1,
                $"code fence is never closed; read as code to the end of the note (or of the quote or list it opens in); close it with a line \"{new string(fence.FencedChar, fence.OpeningFencedCharCount)}\""));
        outline.Walk(blocks);
        return (outline._title, outline._sections);
    }

    /// <summary>
    /// The note as Markdig reads it. A "$$" that is never closed would make the rest of the note one formula, headings and
    /// all, so its line is read as text instead (escaped for Markdig only: chunk texts come from the note's own lines). The
    /// formula then stays a paragraph, which is never cut inside an open formula. Each round escapes every unclosed "$$" it
    /// finds (those in quotes or lists end with their container, so there can be many); one left open at the top swallows
    /// the rest of the note, so the ones after it show in the next round.
    /// </summary>
    private static (MarkdownLines Source, MarkdownDocument Document) Parse(IReadOnlyList<string> lines, string file, ICollection<IngestionWarning> warnings)
    {
        var escaped = new HashSet<int>();
        while (true)
        {
            var source = MarkdownLines.Join(lines, escaped);
            var doc = Markdown.Parse(source.Text, Pipeline);
            var open = doc.Descendants<MathBlock>().Where(m => m.ClosingFencedCharCount == 0 && !escaped.Contains(m.Line + 1)).ToList();
            if (open.Count == 0) return (source, doc);
            foreach (var block in open)
            {
                escaped.Add(block.Line + 1);
                warnings.Add(new IngestionWarning(file, block.Line + 1, "\"$$\" is never closed; read as text, not as a formula (close it with a line \"$$\")"));
            }
        }
    }

    /// <summary>Reads the note's top-level blocks into sections.</summary>
    private void Walk(List<Block> blocks)
    {
        _cards?.Start();

        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var (start, end) = _source.Of(block);
            switch (block)
            {
                case YamlFrontMatterBlock:
                case LinkReferenceDefinitionGroup:
                    continue;
                case HeadingBlock heading:
                    Flush();
                    _cards?.Start(); // what is written above a heading is asked by no card under it
                    if (ReferenceEquals(heading, _titleHeading))
                        OnTitle(start, end);
                    else
                        OnHeading(HeadingText.FromInline(heading.Inline), heading.Level, start, end);
                    continue;
                case ThematicBreakBlock:
                    Flush();
                    _edge = true;
                    _cards?.Start();
                    continue;
            }
            if (_inTocSection) continue;

            if (block is ParagraphBlock paragraph)
                OnParagraph(paragraph, start, end, leadsIntoList: i + 1 < blocks.Count && blocks[i + 1] is ListBlock);
            else
                OnBlock(block, start, end, followsParagraph: i > 0 && blocks[i - 1] is ParagraphBlock);
        }
        Flush();
    }

    private void OnParagraph(ParagraphBlock paragraph, int start, int end, bool leadsIntoList)
    {
        var lines = _source.Slice(start, end);
        if (_cards is not null && lines.Count == 1 && Flashcards.IsSeparator(lines[0]))
        {
            _blocks.Add(_cards.Separator(start, end, _headings.Path));
            return;
        }
        if (Boilerplate.IsTableOfContents(lines))
        {
            // A table of contents is a hard edge: no chunk may run across it.
            Flush();
            _edge = true;
            return;
        }
        if (Boilerplate.HasNoContent(lines) || lines.All(l => string.IsNullOrWhiteSpace(l) || Boilerplate.IsPageNumber(l)))
            return;
        if (PseudoHeading(paragraph, lines) is { } pseudo)
        {
            Flush();
            OnHeading(pseudo, _headings.PseudoLevel(pseudo), start, end);
            return;
        }

        var b = new OutlineBlock(start, end);
        b.ProtectFormulas(_source.Lines);
        if (lines.Count(l => l.Contains('\t')) >= 2)
        {
            // A table pasted from a PDF (tab separated): continuations carry its header row.
            b.Context = lines[0].Trim();
            b.ContextLine = start;
        }
        if (leadsIntoList)
            b.GlueToNext = true; // a lead-in ("Three types:") stays with the list it introduces
        Add(b);
    }

    private void OnBlock(Block block, int start, int end, bool followsParagraph)
    {
        if (Boilerplate.HasNoContent(_source.Slice(start, end))) return;
        var b = MarkdownBlocks.Of(block, start, end, _source);
        if (block is ListBlock && followsParagraph && _blocks.Count > 0 && _blocks[^1].GlueToNext && _blocks[^1].Kind == BlockKind.Paragraph)
        {
            // The list's lead-in goes with every chunk of the list, so a later part still says what its items are.
            b.Context = Flatten(_source.Slice(_blocks[^1].Start, _blocks[^1].End));
            b.ContextLine = _blocks[^1].End;
        }
        Add(b);
    }

    private void Add(OutlineBlock b)
    {
        _cards?.Read(b, _headings.Path);
        if (_blocks.Count > 0 && BelongsWithNext(_blocks[^1], b))
            _blocks[^1].KeepWithNext = true;
        _blocks.Add(b);
    }

    /// <summary>Whether <paramref name="next"/> is what <paramref name="block"/> is about: what a title line ("Nesterov
    /// Momentum") titles, as a heading would; what a lead-in ("2. Backward pass:") announces, unless that is a title of
    /// something else (the lead-in's own content is missing then); the formula that words before it say ("It adds
    /// momentum to RMSProp." then the update rule).</summary>
    private bool BelongsWithNext(OutlineBlock block, OutlineBlock next) =>
        IsTitleLine(block)
        || EndsInLeadIn(block) && !IsTitleLine(next)
        || IsDisplayFormula(next) && block.Kind == BlockKind.Paragraph && !OpensDisplayMath(_source.Lines[block.Start - 1]);

    /// <summary>A paragraph of one line that reads as a title: a heading the note did not mark as one. A title is read by
    /// its capitals, so a line in a script without them is none.</summary>
    private bool IsTitleLine(OutlineBlock b) =>
        b.Kind == BlockKind.Paragraph && b.Start == b.End && _source.Lines[b.Start - 1] is var line
        && line.Any(char.IsUpper) && NoteSentenceSplitter.LooksLikeTitle(line);

    /// <summary>A formula set on lines of its own: a math block, or a paragraph that opens with "$$" or "\[".</summary>
    private bool IsDisplayFormula(OutlineBlock b) =>
        b.Kind == BlockKind.Formula || (b.Kind == BlockKind.Paragraph && OpensDisplayMath(_source.Lines[b.Start - 1]));

    /// <summary>Words whose last line ends in ":", bold or not ("- Adds the squared weights to the loss:", "**Pros:**"):
    /// what follows is what they announce.</summary>
    private bool EndsInLeadIn(OutlineBlock b) =>
        b.Kind is not (BlockKind.Heading or BlockKind.Formula or BlockKind.Code or BlockKind.Table)
        && _source.Lines[b.End - 1].TrimEnd().TrimEnd('*', '_').EndsWith(':');

    private static bool OpensDisplayMath(string line)
    {
        var t = line.TrimStart();
        return t.StartsWith("$$", StringComparison.Ordinal) || t.StartsWith("\\[", StringComparison.Ordinal);
    }

    private void Flush()
    {
        if (_blocks.Count > 0)
        {
            // A note of flashcards is never joined across sections: one card is one chunk.
            _sections.Add(new OutlineSection(_headings.Path, _blocks, _edge || _cards is not null));
            _edge = false;
        }
        _blocks = [];
    }

    /// <summary>The heading that is the note's title: what follows is right under it, and no longer in a table of contents.</summary>
    private void OnTitle(int start, int end)
    {
        _headings.BackToTitle();
        _inTocSection = false;
        _blocks.Add(OutlineBlock.HeadingLine(start, end));
    }

    private void OnHeading(string text, int level, int start, int end)
    {
        if (text.Length == 0) return; // an empty heading names nothing: the path stays as it was
        // Leaving or entering a table of contents section is a hard edge too.
        _edge |= _inTocSection;
        _inTocSection = Boilerplate.IsTocHeading(text);
        _edge |= _inTocSection;
        _headings.Open(text, level);
        if (_inTocSection) return;
        _blocks.Add(OutlineBlock.HeadingLine(start, end));
    }

    /// <summary>
    /// Front matter title, else the first heading when it is an H1: the document's name, put first in every path.
    /// Also returns the heading block consumed as the title (null when the title came from front matter only).
    /// </summary>
    private static (string? Title, HeadingBlock? Heading) FindTitle(List<Block> blocks, MarkdownLines source)
    {
        string? title = null;
        if (blocks.OfType<YamlFrontMatterBlock>().FirstOrDefault() is { } fm)
            title = FrontMatter.Title(source.SliceOf(fm));
        var first = blocks.OfType<HeadingBlock>().FirstOrDefault();
        if (first is null || first.Level != 1) return (title, null);
        var text = HeadingText.FromInline(first.Inline);
        if (text.Length == 0) return (title, null);
        if (title is null) return (text, first);
        return (title, string.Equals(title, text, StringComparison.OrdinalIgnoreCase) ? first : null);
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

    /// <summary>The lines trimmed and joined by single spaces, empty ones left out: how a question is quoted.</summary>
    internal static string Flatten(IEnumerable<string> lines) =>
        string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
}
