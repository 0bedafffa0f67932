using System.Text.RegularExpressions;

namespace MlTutor.Ingestion;

/// <summary>
/// Finds the question-and-answer pairs notes write out as "Q: …" and "A: …" (interview questions, self-tests): a
/// paragraph that opens with a question label and is followed by a paragraph that opens with an answer label, or one
/// paragraph whose next line after the question opens with the answer label. The answer runs from there to the next
/// question or the end of the section. A labelled line that reads as a worked example ("Question: Where is the cat?",
/// "Context: …", "Answer: …") is no pair: between a question and its answer no other label may stand.
/// Only marks blocks; how the note is cut does not change.
/// </summary>
internal static partial class QaPairs
{
    // The same labels the answerer reads as questions, bold or not: "Q:", "**Q:**", "Question 3:", "A.", "Answer)"; an answer
    // label may stand alone on its line, the answer (often code) below it.
    [GeneratedRegex(@"^(?:\*\*|__|\*|_)?(?:Q|Question)\s*\d*\s*[:.)](?:\*\*|__|\*|_)?(?:\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLabel();

    [GeneratedRegex(@"^(?:\*\*|__|\*|_)?(?:A|Answer)\s*\d*\s*[:.)](?:\*\*|__|\*|_)?(?:\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerLabel();

    [GeneratedRegex(@"^(?:\*\*|__|\*|_)?\p{L}[\p{L}\p{N} ]{0,30}:")]
    private static partial Regex AnyLabel();

    public static void Mark(IReadOnlyList<OutlineSection> sections, IReadOnlyList<string> lines)
    {
        foreach (var section in sections)
        {
            OutlineItem? pair = null;
            var blocks = section.Blocks;
            for (var i = 0; i < blocks.Count; i++)
            {
                var b = blocks[i];
                if (b.Item is not null) { pair = null; continue; } // a flashcard is already a question and its answer
                if (IsQuestion(b, lines))
                {
                    pair = null;
                    if (AnswerLineOf(b, lines) is { } answer)
                    {
                        pair = new OutlineItem(ItemKind.QaPair, section.HeadingPath, Question(b.Start, answer - 1, lines));
                        b.Parts = [new BlockPart(BlockKind.Paragraph, b.Start, answer - 1, BlockRole.QaQuestion), new BlockPart(BlockKind.Paragraph, answer, b.End, BlockRole.QaAnswer)];
                    }
                    else if (i + 1 < blocks.Count && blocks[i + 1] is { Kind: BlockKind.Paragraph, Item: null } next && Opens(next, lines, AnswerLabel()))
                    {
                        pair = new OutlineItem(ItemKind.QaPair, section.HeadingPath, Question(b.Start, b.End, lines));
                    }
                    if (pair is null) continue;
                    b.Item = pair;
                    b.Role = BlockRole.QaQuestion;
                    continue;
                }
                if (pair is null || b.Kind == BlockKind.Heading) { pair = null; continue; }
                b.Item = pair;
                b.Role = BlockRole.QaAnswer;
            }
        }
    }

    private static bool IsQuestion(OutlineBlock b, IReadOnlyList<string> lines) =>
        b.Kind == BlockKind.Paragraph && Opens(b, lines, QuestionLabel());

    private static bool Opens(OutlineBlock b, IReadOnlyList<string> lines, Regex label) => label.IsMatch(lines[b.Start - 1].Trim());

    /// <summary>The line of a question paragraph where its answer starts ("A: …" after the question's lines), or null.</summary>
    private static int? AnswerLineOf(OutlineBlock b, IReadOnlyList<string> lines)
    {
        for (var l = b.Start + 1; l <= b.End; l++)
        {
            var line = lines[l - 1].Trim();
            if (AnswerLabel().IsMatch(line)) return l;
            if (AnyLabel().IsMatch(line)) return null;
        }
        return null;
    }

    private static string Question(int start, int end, IReadOnlyList<string> lines) =>
        MarkdownOutline.Flatten(Enumerable.Range(start, end - start + 1).Select(l => lines[l - 1]));
}
