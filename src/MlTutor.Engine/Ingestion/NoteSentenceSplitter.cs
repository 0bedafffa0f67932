using System.Text;
using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>
/// Cuts a chunk's text into quotable pieces: prose sentences, list items, table rows, plus the headings and
/// questions around them. Study notes mix markdown, flashcards (question / <c>???</c> / answer), tab tables
/// pasted from documents and inline formulas, so the cut is by line structure first and by sentence punctuation
/// second, never inside <c>$...$</c> math or after "e.g.", "i.e.", initials or decimals.
/// </summary>
public static partial class NoteSentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "al", "fig", "figs", "eq", "eqs", "approx", "resp", "viz",
        "dr", "mr", "mrs", "ms", "prof", "no", "nos", "st", "jr", "sr", "ca", "sec", "ch", "vol", "pp", "ref",
    };

    /// <summary>Splits <paramref name="text"/> (lines joined by "\n").</summary>
    /// <param name="initialContext">What the text is about before any heading inside it (e.g. the chunk's last heading).</param>
    public static IReadOnlyList<NoteSentence> Split(string text, string? initialContext = null)
    {
        var result = new List<NoteSentence>();
        var lines = text.Split('\n');
        string? heading = Blank(initialContext) ? null : initialContext!.Trim();
        string? context = heading;
        string? tableHeader = null;
        var tableWidth = 0;
        var block = new List<(int Line, string Content)>();
        var blockKind = SentenceKind.Prose;
        var blockLevel = default(ListLevel);
        var inFence = false;
        // An exported card page glues each card's badge to the next card's title, line after line; one such line alone is
        // more likely a camel-case name ("🔥 TensorFlow Basics").
        var cardPage = lines.Count(l => GluedBadge().IsMatch(Clean(l))) >= 2;

        void Flush()
        {
            if (block.Count > 0)
            {
                var first = result.Count;
                var lone = EmitBlock(block, blockKind, context, cardPage, result);
                for (var k = first; k < result.Count; k++)
                    if (result[k].Kind == SentenceKind.ListItem) result[k] = result[k] with { Level = blockLevel };
                if (lone?.Kind == SentenceKind.Question) context = lone.Text;
                else if (lone?.Kind == SentenceKind.Heading) context = heading = lone.Title ?? lone.Text;
            }
            block.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            var trimmed = raw.Trim();

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                // Code is not prose to quote; its lines still count for positions.
                Flush();
                inFence = !inFence;
                continue;
            }
            if (inFence) continue;

            // A sentence broken across a blank line, as notes converted from PDF have it ("…morphology to", blank,
            // "return valid lemmas."), is still one sentence.
            if (trimmed.Length == 0 && blockKind == SentenceKind.Prose && block.Count > 0 && i + 1 < lines.Length
                && BrokenAcrossBlank(block[^1].Content, lines[i + 1]))
                continue;
            if (trimmed.Length == 0 || RuleLine().IsMatch(trimmed))
            {
                // Blank lines, "???" flashcard separators and horizontal rules end a block. A table whose rows go on
                // after one blank line, as tables pasted from documents have it, keeps its header.
                Flush();
                if (!(trimmed.Length == 0 && i + 1 < lines.Length && TableCells(lines[i + 1].Trim()) is { Count: > 0 } more
                      && more.Count == tableWidth && !IsBullet(more[0])))
                    tableHeader = null;
                continue;
            }

            var headingMatch = MarkdownHeading().Match(trimmed);
            if (headingMatch.Success)
            {
                Flush();
                tableHeader = null;
                var h = Clean(headingMatch.Groups[1].Value.TrimEnd('#', ' '));
                if (h.Length > 0)
                {
                    result.Add(new NoteSentence(h, i, i, SentenceKind.Heading, heading, IsFragment: true));
                    heading = context = h;
                }
                continue;
            }

            var formulaLast = FormulaEnd(lines, i);
            if (formulaLast >= 0)
            {
                // A display formula is one piece however it is laid out: quoting half of it says nothing.
                Flush();
                tableHeader = null;
                var formula = string.Join(" ", lines[i..(formulaLast + 1)].Select(l => l.Trim()));
                var f = Whitespace.Collapse(formula).Trim();
                result.Add(new NoteSentence(f, i, formulaLast, SentenceKind.Formula, context, IsFragment: f.Trim('$', ' ').Length < 2));
                i = formulaLast;
                continue;
            }

            var cells = TableCells(trimmed);
            if (cells != null)
            {
                Flush();
                if (cells.Count == 0) continue; // a "---|---" separator row
                if (IsBullet(cells[0]))
                {
                    // A bulleted line whose words were split by tabs on export: the tabs are just spaces, and the line is
                    // read as any list item is (a "Q: …" on it is a question, not a claim).
                    blockKind = SentenceKind.ListItem;
                    blockLevel = ListLevel.Of(raw);
                    block.Add((i, string.Join(' ', cells.Skip(1))));
                    continue;
                }
                var row = string.Join(" | ", cells);
                var isToc = cells.Count == 2 && PageNumber().IsMatch(cells[1]);
                var rowContext = tableHeader == null ? context : Blank(context) ? tableHeader : $"{context} — {tableHeader}";
                var piece = Piece(row, i, i, SentenceKind.TableRow, rowContext);
                // A table's first row names its columns: quoted only with a row under it, never as an answer of its own.
                if (tableHeader == null) piece = piece with { IsFragment = true, IsHeaderRow = true };
                result.Add(isToc ? piece with { IsFragment = true } : piece);
                if (tableHeader == null) (tableHeader, tableWidth) = (row, cells.Count);
                continue;
            }
            tableHeader = null;

            var listMatch = ListItem().Match(raw);
            if (listMatch.Success && NumberedItem().IsMatch(trimmed) && LooksLikeTitle(listMatch.Groups[2].Value)
                && !(NonBlankLine(lines, i, +1) is { } next && ListItem().IsMatch(next))
                && !(NonBlankLine(lines, i, -1) is { } before && NumberedItem().IsMatch(before.Trim())))
            {
                // "11. Parametric vs. Nonparametric Models" over a paragraph is a numbered section title, not a list (unless
                // it ends one: "3. Project Onto Top Components" after "2. …"): it says what the lines under it are about.
                // Converted documents put a bullet before some ("- 2. Derivative of Binary Cross-Entropy").
                Flush();
                var title = Clean(BulletBeforeNumber().Replace(trimmed, ""));
                result.Add(new NoteSentence(title, i, i, SentenceKind.Heading, heading, IsFragment: true));
                heading = context = title;
                continue;
            }
            if (listMatch.Success)
            {
                Flush();
                var content = listMatch.Groups[2].Value;
                // Documents converted from Word keep their "o" sub-bullet glyph after the markdown bullet.
                var glyph = WordBulletGlyph().Match(content);
                if (glyph.Success) content = content[glyph.Length..];
                blockKind = SentenceKind.ListItem;
                blockLevel = ListLevel.Of(raw);
                block.Add((i, content.Trim()));
                continue;
            }

            // A plain line continues the current block only when it reads as the same sentence wrapped
            // (previous line unfinished, this one starting in lower case); plain-text notes put one
            // statement per line and must not run together.
            if (block.Count > 0 && !EndsStatement(block[^1].Content) && StartsLower(trimmed))
            {
                block.Add((i, trimmed));
                continue;
            }
            Flush();
            blockKind = SentenceKind.Prose;
            block.Add((i, trimmed));
        }
        Flush();
        MarkSentencesRunningIntoFormulas(result);
        return result;
    }

    /// <summary>
    /// Marks each sentence that stops in the middle, on a word that leads into more ("this simplifies to", "is defined
    /// as", "If y = f(g(x)), then"), right above a formula: the formula finishes it, as a colon's lead-in is finished by
    /// what it announces.
    /// </summary>
    private static void MarkSentencesRunningIntoFormulas(List<NoteSentence> pieces)
    {
        for (var k = 0; k + 1 < pieces.Count; k++)
        {
            var (s, next) = (pieces[k], pieces[k + 1]);
            if (s.Kind is not (SentenceKind.Prose or SentenceKind.ListItem) || next is not { Kind: SentenceKind.Formula, IsQuotable: true }
                || next.FirstLine > s.LastLine + 2) continue;
            var last = LastWord(s.Text);
            if (LeadingWords.Contains(last) || DanglingWords.Contains(last) || ConsequenceWords.Contains(last))
                pieces[k] = s with { RunsIntoFormula = true };
        }
    }

    /// <summary>
    /// Emits the sentences of one block; returns the piece when the block is a lone question (a flashcard front)
    /// or a lone plain-text heading, since what follows is about it.
    /// </summary>
    private static NoteSentence? EmitBlock(List<(int Line, string Content)> block, SentenceKind kind, string? context, bool cardPage,
        List<NoteSentence> result)
    {
        // Join the lines with single spaces, remembering where each line starts so a sentence maps back to lines.
        var sb = new StringBuilder();
        var starts = new List<(int Offset, int Line)>();
        foreach (var (line, content) in block)
        {
            if (sb.Length > 0) sb.Append(' ');
            starts.Add((sb.Length, line));
            sb.Append(content);
        }
        var joined = sb.ToString();
        int LineAt(int offset)
        {
            var line = starts[0].Line;
            foreach (var (o, l) in starts)
                if (o <= offset) line = l; else break;
            return line;
        }

        var spans = SentenceSpans(joined);
        var first = result.Count;
        foreach (var (s, e) in spans)
        {
            var text = Clean(joined[s..e]);
            if (text.Length == 0) continue;
            var pieceKind = IsQuestion(text) ? SentenceKind.Question : kind;
            var title = cardPage ? CardTitle(text) : null;
            if (pieceKind == SentenceKind.Prose && spans.Count == 1 && block.Count == 1 && LooksLikeHeading(title ?? text))
                pieceKind = SentenceKind.Heading;
            var piece = Piece(text, LineAt(s), LineAt(e - 1), pieceKind, context);
            if (pieceKind == SentenceKind.Prose && spans.Count == 1 && block.Count == 1 && BoldTerm().IsMatch(block[0].Content))
                piece = piece with { NamesTerm = true };
            result.Add(pieceKind == SentenceKind.Heading ? piece with { Title = title } : piece);
            // The answer after a labelled question in its own block ("- Q: What's the difference between L1 and L2? A: L1
            // can…") is about that question, not about the flashcard before it. A bare "Why?" opening a paragraph says
            // nothing of what it is about: the heading stays the context.
            if (pieceKind == SentenceKind.Question && QuestionLabel().IsMatch(text)) context = text;
        }
        return result.Count - first == 1 && result[^1].Kind is SentenceKind.Question or SentenceKind.Heading ? result[^1] : null;
    }

    private static NoteSentence Piece(string text, int first, int last, SentenceKind kind, string? context)
    {
        text = Clean(text);
        // "A: It speeds convergence…": the label says where a Q/A pair's answer begins; the words after it are the answer.
        if (kind is SentenceKind.Prose or SentenceKind.ListItem) text = AnswerLabel().Replace(text, "");
        var inContents = context != null && context.Contains("contents", StringComparison.OrdinalIgnoreCase) && kind != SentenceKind.TableRow;
        // "Use Case: Retrieval-Augmented Generation (RAG)" names a topic under a label and says nothing of it: like a short
        // item, it is quoted only with the rest of its list, and as a sentence of its own not at all.
        bool isShort = IsShortText(text) || kind is SentenceKind.ListItem or SentenceKind.Prose && IsLabelledTitle(text),
            nonContent = IsNonContentText(text) || kind is SentenceKind.Prose or SentenceKind.ListItem && CodeLine().IsMatch(text);
        var shortItem = kind == SentenceKind.ListItem && isShort && !nonContent && !inContents && !text.EndsWith(':') && text.Count(char.IsLetter) >= 3;
        var fragment = kind is SentenceKind.Heading or SentenceKind.Question || isShort || nonContent || inContents
            || (kind is SentenceKind.Prose or SentenceKind.ListItem && IsCutOff(text));
        return new NoteSentence(text, first, last, kind, context, fragment) { IsShortItem = shortItem };
    }

    /// <summary>Start and end offsets of the sentences of <paramref name="t"/>.</summary>
    internal static List<(int Start, int End)> SentenceSpans(string t)
    {
        var spans = new List<(int, int)>();
        var start = 0;
        var math = false;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c == '$')
            {
                if (i + 1 < t.Length && t[i + 1] == '$') i++;
                math = !math;
                continue;
            }
            if (math || (c != '.' && c != '!' && c != '?')) continue;

            var j = i + 1;
            while (j < t.Length && t[j] is '.' or '!' or '?' or '"' or '\'' or ')' or ']' or '*' or '_' or '”' or '’') j++;
            if (j >= t.Length) break;
            if (!char.IsWhiteSpace(t[j])) continue; // "3.14", "x.y", "e.g.," stay inside the sentence
            var k = j;
            while (k < t.Length && char.IsWhiteSpace(t[k])) k++;
            if (k >= t.Length) break;
            if (char.IsLower(t[k])) continue;
            // A question or exclamation in quotes goes on unless a capital starts the next sentence: ("Where can I buy
            // sneakers?" $\approx$ "Best shoe stores nearby").
            if (c is '?' or '!' && t[i + 1] is '"' or '”' or '\'' or '’' && !char.IsUpper(t[k]) && !char.IsDigit(t[k])) continue;
            if (c == '.' && IsAbbreviation(t, i)) continue;
            spans.Add((start, j));
            start = k;
            i = k - 1;
        }
        if (start < t.Length && t[start..].Trim().Length > 0) spans.Add((start, t.TrimEnd().Length));
        return spans;
    }

    private static bool IsAbbreviation(string t, int dot)
    {
        var s = dot;
        while (s > 0 && !char.IsWhiteSpace(t[s - 1])) s--;
        var token = t[s..dot].TrimStart('(', '[', '"', '\'', '*');
        if (token.Length == 0) return false;
        // A list item's own number ("3. Chain rule" after its bullet; up to three digits, as a list numbers) ends no
        // sentence. A bold "**1. Approach:**" still splits, which leaves its label a lead-in; a year ("2017. The…") ends one.
        if (s == 0 && dot - s <= 3 && t[s..dot].All(char.IsDigit)) return true;
        if (token.Length == 1 && char.IsLetter(token[0])) return true; // an initial, or "e." of "e.g."
        return Abbreviations.Contains(token) || token.Contains('.');
    }

    /// <summary>Cells of a table row (tab-separated, or a markdown pipe row); empty list for a separator row; null when not a table row.</summary>
    private static List<string>? TableCells(string trimmed)
    {
        string[] parts;
        if (trimmed.Contains('\t')) parts = trimmed.Split('\t');
        else if (trimmed.StartsWith('|') && trimmed.IndexOf('|', 1) > 0) parts = trimmed.Trim('|').Split('|');
        else return null;
        var cells = parts.Select(p => Clean(p)).Where(p => p.Length > 0).ToList();
        if (cells.All(c => SeparatorCell().IsMatch(c))) return [];
        return cells.Count >= 2 ? cells : null;
    }

    /// <summary>A question, including quoted ones and interview-prep lines like <c>Q: "What is ...?"</c>.</summary>
    private static bool IsQuestion(string text) =>
        text.TrimEnd('"', '\'', '”', '’', '*', '_', ')', ' ').EndsWith('?') || QuestionLabel().IsMatch(text) || Prompt().IsMatch(text);

    private static bool IsBullet(string cell) => cell is "•" or "·" or "▪" or "◦" or "-" or "*" or "o";

    /// <summary>Too short to answer with alone: under three words or twelve letters.</summary>
    private static bool IsShortText(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
        return words < 3 || text.Count(char.IsLetter) < 12;
    }

    /// <summary>
    /// Whether <paramref name="next"/>, after one blank line, continues the sentence of a paragraph that
    /// <paramref name="before"/> broke off: that is a line of some length ending in a comma or a word that leads into
    /// more ("…uses vocabulary and morphology to"), this starts in lower case and is neither a list item nor code. A
    /// heading or a short line stays apart from what follows.
    /// </summary>
    private static bool BrokenAcrossBlank(string before, string next)
    {
        var b = before.TrimEnd();
        var n = next.Trim();
        if (b.Length < 40 || n.Length == 0 || !char.IsLower(n[0]) || ListItem().IsMatch(next.TrimEnd('\r'))) return false;
        // Code written outside a fence: an assignment or a call is never the rest of a sentence.
        if (b.Contains('=') || n.Contains('=') || n.Contains('(')) return false;
        if (b[^1] == ',') return true;
        var last = LastWord(b);
        return last.Length > 0 && (DanglingWords.Contains(last) || LeadingWords.Contains(last));
    }

    /// <summary>The letters a text ends with, its last word when it ends in one; empty when it ends in anything else.</summary>
    private static string LastWord(string text)
    {
        var t = text.TrimEnd();
        var start = t.Length;
        while (start > 0 && char.IsLetter(t[start - 1])) start--;
        return t[start..];
    }

    /// <summary>"If y = f(g(x)), then": what follows is the consequence, here a formula.</summary>
    private static readonly HashSet<string> ConsequenceWords = new(StringComparer.Ordinal) { "then" };

    /// <summary>Words a sentence can end in, but a line broken mid-sentence usually does: prepositions, "to", verbs of being.</summary>
    private static readonly HashSet<string> LeadingWords = new(StringComparer.Ordinal)
    {
        "to", "of", "for", "in", "on", "by", "from", "at", "into", "with", "as", "is", "are", "was", "were", "be", "that", "which",
    };

    /// <summary>
    /// A sentence that stops in the middle ("When we model some polynomial, we"): it ends in a word that cannot end a
    /// sentence, with no punctuation after it, or names its subject and stops at "is" ("The objective is"). Notes left
    /// unfinished, or whose formula was lost on export, have these; quoted, they read as noise.
    /// </summary>
    public static bool IsCutOff(string text) => DanglingWords.Contains(LastWord(text)) || AnnouncingCopula().IsMatch(text.TrimEnd());

    // "The objective is", "The update rule is", with what they announce lost on export; a clause that asks or tells
    // ("how surprised the model is", "what it is") ends there whole.
    [GeneratedRegex(@"^(?:The|This|Our|Its|Their|Each|Every)\s+(?!.*\b(?:how|what|where|which|who|whatever|however)\b)[^.!?;:]{0,40}\s(?:is|are)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex AnnouncingCopula();

    private static readonly HashSet<string> DanglingWords = new(StringComparer.Ordinal)
    {
        // Only words that no finished sentence ends in: "what it's used for" and "how surprised the model is" are whole.
        "a", "an", "the", "our", "their", "its", "your", "my", "and", "or", "but", "we", "than", "if", "because",
    };

    /// <summary>A table-of-contents line, a front-matter key or a title in parentheses: structure, not content.</summary>
    private static bool IsNonContentText(string text) => TocLine().IsMatch(text) || YamlKey().IsMatch(text) || IsParentheticalTitle(text);

    /// <summary>A title in parentheses, as notes write a name's long form under a heading ("(Denoising Diffusion
    /// Probabilistic Models - DDPM)"): it names the topic and says nothing of it.</summary>
    private static bool IsParentheticalTitle(string text) =>
        text.Length > 2 && text[0] == '(' && text[^1] == ')' && text.IndexOf(')') == text.Length - 1 && LooksLikeTitle(text[1..^1]);

    /// <summary>
    /// Index of the last line of the display formula starting at line <paramref name="i"/>, or -1 when none starts there:
    /// a <c>$$...$$</c> block (on one line or across several, at most <see cref="MaxFormulaLines"/>) or a line that is only
    /// inline math (<c>$v_t = \beta v_{t-1} + (1-\beta) g_t^2$</c>).
    /// </summary>
    private static int FormulaEnd(string[] lines, int i)
    {
        var t = lines[i].Trim();
        if (t.StartsWith("$$", StringComparison.Ordinal))
        {
            if (t.Length > 4 && t.IndexOf("$$", 2, StringComparison.Ordinal) > 0) return i;
            for (var j = i + 1; j < lines.Length && j <= i + MaxFormulaLines; j++)
            {
                var u = lines[j].Trim();
                if (u.Length == 0) return -1; // an unclosed "$$": not a formula block after all
                if (u.Contains("$$", StringComparison.Ordinal)) return j;
            }
            return -1;
        }
        return MathOnlyLine().IsMatch(t) ? i : -1;
    }

    private const int MaxFormulaLines = 12;

    private static readonly HashSet<string> MinorWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "with", "vs", "vs.", "via", "by", "&", "-", "–", "/",
    };

    /// <summary>A title under a short label ("Use Case: Retrieval-Augmented Generation (RAG)"): both sides read as titles,
    /// and the title holds no number ("Typical Learning Rate: 0.001", "Time Complexity: O(n^2)" are facts).</summary>
    private static bool IsLabelledTitle(string text) =>
        text.Split(':') is [var label, var title] && label.Trim().Split(' ').Length <= 3 && LooksLikeTitle(label) && LooksLikeTitle(title)
        && !title.Any(char.IsDigit);

    /// <summary>A short line whose words are capitalized and which has no sentence punctuation or formula: a title.</summary>
    internal static bool LooksLikeTitle(string text)
    {
        var t = Clean(text);
        if (t.Length == 0 || t.IndexOfAny(['$', '=', '!', '?', ':', ';', ',']) >= 0 || t.EndsWith('.')) return false;
        var words = t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !MinorWords.Contains(w)).ToList();
        if (words.Count is 0 or > 7) return false;
        return words.All(IsCapitalized);
    }

    /// <summary>A word of a title: it opens with a capital or a digit, or, as a name with a prefix of a letter or two does
    /// ("k-Fold", "t-SNE"), its part after the hyphen does.</summary>
    private static bool IsCapitalized(string word)
    {
        var first = word.FirstOrDefault(char.IsLetterOrDigit);
        if (!char.IsLower(first)) return true;
        var hyphen = word.IndexOf('-');
        return hyphen is 1 or 2 && hyphen + 1 < word.Length && char.IsUpper(word[hyphen + 1]);
    }

    /// <summary>The first line that is not blank after line <paramref name="i"/> (<paramref name="step"/> +1) or before it
    /// (-1), without its line ending; null when there is none.</summary>
    private static string? NonBlankLine(string[] lines, int i, int step)
    {
        for (var j = i + step; j >= 0 && j < lines.Length; j += step)
            if (!Blank(lines[j])) return lines[j].TrimEnd('\r');
        return null;
    }

    /// <summary>
    /// The title in a line of a card page exported to text, where the badge that ends one card runs into the title that
    /// opens the next ("📊 RegressionMAE / L1 Loss" names "MAE / L1 Loss"); null when the line is no such thing.
    /// </summary>
    private static string? CardTitle(string line) =>
        GluedBadge().Match(line) is { Success: true } glued && LooksLikeHeading(glued.Groups["title"].Value) ? glued.Groups["title"].Value : null;

    /// <summary>A lone short line without sentence punctuation or formula: a plain-text heading.</summary>
    private static bool LooksLikeHeading(string text)
    {
        if (text.Length == 0 || !(char.IsUpper(text[0]) || char.IsDigit(text[0]))) return false;
        if (text.IndexOfAny(['$', '=', '.', '!', '?', ':', ';', ',']) >= 0 && !SectionNumber.Opens(text)) return false;
        // A title may end with its abbreviation or other name ("Mean Squared Error (MSE)", "L1 Regularization (Lasso)");
        // another closing parenthesis ends a remark ("Results improved (Again)").
        if (text[^1] == ')' && !(AbbreviationAtEnd().IsMatch(text) && LooksLikeTitle(text))) return false;
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 6;
    }

    private static bool EndsStatement(string content)
    {
        var t = content.TrimEnd('*', '_', ' ', '"', '\'', ')');
        return t.Length == 0 || t[^1] is '.' or '!' or '?' or ':' or ';';
    }

    private static bool StartsLower(string s)
    {
        foreach (var ch in s)
            if (char.IsLetter(ch)) return char.IsLower(ch);
            else if (!(ch is '(' or '"' or '\'')) return false;
        return false;
    }

    /// <summary>Light display cleaning: markdown emphasis and code ticks dropped, whitespace collapsed. Removes characters only.</summary>
    internal static string Clean(string s)
    {
        s = s.Replace("**", "").Replace("__", "").Replace("`", "");
        s = Whitespace.Collapse(s).Trim();
        if (s.StartsWith("> ", StringComparison.Ordinal)) s = s[2..];
        return s;
    }

    private static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    // "**Recall:** …" or "**Recall**: …", with something said after the term.
    [GeneratedRegex(@"^\s*\*\*[^*:]{1,50}(?::\*\*|\*\*\s*:)\s*\S")]
    private static partial Regex BoldTerm();

    [GeneratedRegex(@"^(?:\?{3,}|[-*_=]{3,}|[-*+•]\s*)$")]
    private static partial Regex RuleLine();

    // "(MSE)", "(Lasso)", "(Seq2Seq)": one capitalised word in parentheses after the name.
    [GeneratedRegex(@"\s\([A-Z][A-Za-z0-9-]{1,7}\)$")]
    private static partial Regex AbbreviationAtEnd();

    // A pictograph, a badge of words whose last runs straight into a capital, then the title.
    [GeneratedRegex(@"^(?:\p{Cs}\p{Cs}|\p{So})\uFE0F?\s*[A-Z][\w -]*?[a-z]{4}(?=[A-Z])(?<title>[A-Z].*)$")]
    private static partial Regex GluedBadge();

    [GeneratedRegex(@"^#{1,6}\s+(.*)$")]
    private static partial Regex MarkdownHeading();

    /// <summary>The bullets a list item may open with, markdown's and those of documents converted to it.</summary>
    private const string Bullet = "[-*+•·▪◦‣]";

    [GeneratedRegex(@"^(\s*)(?:" + Bullet + @"|\d{1,3}[.)]|[a-zA-Z][.)])\s+(.*)$")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^o\s+(?=[A-Z])")]
    private static partial Regex WordBulletGlyph();

    [GeneratedRegex(@"^\d{1,4}$")]
    private static partial Regex PageNumber();

    [GeneratedRegex(@"^:?-{2,}:?$")]
    private static partial Regex SeparatorCell();

    [GeneratedRegex(@"(?:\.{3,}|…)\s*\d{1,4}$")]
    private static partial Regex TocLine();

    [GeneratedRegex(@"^[a-z][a-z_]*:\s+\S")]
    private static partial Regex YamlKey();

    [GeneratedRegex(@"^(?:" + Bullet + @"\s+)?\d{1,3}[.)]\s")]
    private static partial Regex NumberedItem();

    [GeneratedRegex("^" + Bullet + @"\s+(?=\d)")]
    private static partial Regex BulletBeforeNumber();

    // Only math on the line, allowing a list dash before it: "$\\hat{y} = Xw$", "- $L = \\sum_i \\ell_i$".
    [GeneratedRegex(@"^(?:[-*+]\s+)?\$[^$]+\$[.,;]?$")]
    private static partial Regex MathOnlyLine();

    [GeneratedRegex(@"^(?:Q|Question)\s*\d*\s*[:.)]\s", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLabel();

    [GeneratedRegex(@"^(?:A|Answer)\s*\d*\s*:\s+(?=\S)")]
    private static partial Regex AnswerLabel();

    // A prompt of the notes' own interview questions ("Explain the difference between precision and recall"): it asks,
    // it does not answer. Only when nothing follows the prompt's object but more of it, no sentence of explanation.
    [GeneratedRegex(@"^(?:Explain|Describe|Compare(?: and contrast)?|Contrast|Discuss|Define|Outline|Derive|Walk (?:me )?through|Tell me|Give an example)\b[^.:;]*\.?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Prompt();

    // Code written outside a fence: an import, a definition, a print, a call of a dotted name ("model.fit(X, y)") or an
    // assignment of one ("loss = F.cross\_entropy(logits, labels)"). A formula ("y = f(x)") calls no dotted name.
    [GeneratedRegex(@"^(?:(?:import|from)\s+[\w.\\]+(?:\s+import\b|\s+as\b|\s*$)|def\s+\w+\s*\(|class\s+\w+\s*[(:]|return\s|print\s*\(|@\w+"
        + @"|[\w.\\\[\]]+(?:\s*,\s*[\w.\\\[\]]+)*\s*[-+*/]?=\s*[A-Za-z_][\w\\]*(?:\.[A-Za-z_][\w\\]*)+\s*\("
        + @"|[A-Za-z_][\w\\]*(?:\.[A-Za-z_][\w\\]*)+\s*\(.*\)\s*;?$)", RegexOptions.CultureInvariant)]
    private static partial Regex CodeLine();
}
