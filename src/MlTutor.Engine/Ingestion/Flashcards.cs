using System.Text;

namespace MlTutor.Ingestion;

/// <summary>
/// The flashcards of a markdown note (question, a line <c>???</c>, the answer; cards separated by <c>---</c>) as its blocks
/// are read: which card each block belongs to and as which part, how a card is cut (its question stays with the start of
/// its answer), and the question every part of its answer carries.
/// </summary>
internal sealed class Flashcards(MarkdownLines source)
{
    // How a card is cut: the current card's question (null before the "???" line has been seen in this card).
    private bool _inQuestion;
    private StringBuilder? _question;
    private int _questionEnd;
    private string? _answerContext;

    // The current card as a chunk's structure shows it (see Mark): its blocks before the "???" line, then the card.
    private readonly List<OutlineBlock> _cardQuestion = [];
    private OutlineItem? _card;

    /// <summary>A note with a line <c>???</c> is read as flashcards.</summary>
    public static bool AreIn(IReadOnlyList<string> lines) => lines.Any(IsSeparator);

    /// <summary>The line between a card's question and its answer.</summary>
    public static bool IsSeparator(string line) => line.Trim() == "???";

    /// <summary>A new card starts: at the note's start, after each thematic break and at each heading.</summary>
    public void Start()
    {
        _inQuestion = true;
        _question = null;
        _questionEnd = 0;
        _answerContext = null;
        _cardQuestion.Clear();
        _card = null;
    }

    /// <summary>The block of a paragraph that is only the "???" line: the answer starts after it.</summary>
    /// <param name="headingPath">The heading path the card is under.</param>
    public OutlineBlock Separator(int start, int end, string headingPath)
    {
        // The separator is not content, but it must not part the question from its answer either.
        var separator = new OutlineBlock(start, end) { Embedded = false, GlueToNext = true, Kind = BlockKind.FlashcardSeparator, Name = "flashcard separator" };
        Mark(separator, headingPath);
        _inQuestion = false;
        _answerContext = _question?.ToString();
        return separator;
    }

    /// <summary>Takes <paramref name="b"/> into the current card: as a part of its question, which stays with what follows,
    /// or of its answer, which carries the question.</summary>
    public void Read(OutlineBlock b, string headingPath)
    {
        Mark(b, headingPath);
        if (_inQuestion)
        {
            // Question blocks stay together and with the start of the answer.
            b.GlueToNext = true;
            // A question starts at its last paragraph (see Mark): text before it is the note's, not the card's.
            if (b.Kind == BlockKind.Paragraph || _question is null) _question = new StringBuilder();
            if (_question.Length > 0) _question.Append(' ');
            _question.Append(MarkdownOutline.Flatten(source.Slice(b.Start, b.End)));
            _questionEnd = b.End;
        }
        else if (_answerContext is not null)
        {
            // Every part of an answer carries the question, so a piece of a long answer still says what it answers.
            b.Context = b.Context is null || b.ContextLine <= _questionEnd ? _answerContext : _answerContext + "\n" + b.Context;
            b.ContextLine = Math.Max(b.ContextLine, _questionEnd);
        }
    }

    /// <summary>
    /// Marks <paramref name="b"/> as part of the current card: a block of its question until a "???" line is seen, then
    /// of its answer. This is structure only; it is kept apart from how a card is cut (<see cref="_inQuestion"/> and the
    /// answer's context), which knows only a "???" paragraph of its own. A card written without empty lines is one
    /// paragraph (question, "???", answer), whose lines are then the card's parts.
    /// </summary>
    private void Mark(OutlineBlock b, string headingPath)
    {
        if (_card is not null)
        {
            b.Item = _card;
            if (b.Kind != BlockKind.FlashcardSeparator) b.Role = BlockRole.FlashcardAnswer;
            return;
        }
        var lines = source.Slice(b.Start, b.End);
        var separator = b.Kind is BlockKind.Paragraph or BlockKind.FlashcardSeparator ? lines.FindIndex(IsSeparator) : -1;
        // A card's question is its last paragraph before the "???" line, with what it shows under it (a list, code, a
        // formula): an earlier paragraph (a note's opening words above its first card) is not part of what is asked.
        if (b.Kind == BlockKind.Paragraph && separator != 0) _cardQuestion.Clear();
        if (separator < 0)
        {
            _cardQuestion.Add(b);
            return;
        }
        var question = MarkdownOutline.Flatten(_cardQuestion.SelectMany(q => source.Slice(q.Start, q.End)).Concat(lines.Take(separator)));
        if (question.Length == 0) return; // a "???" with nothing asked before it opens no card
        _card = new OutlineItem(ItemKind.Flashcard, headingPath, question);
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
}
