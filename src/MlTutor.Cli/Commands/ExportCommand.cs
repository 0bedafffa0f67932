using System.CommandLine;
using System.Net;
using System.Text;
using MlTutor.Tutoring;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor export anki FILE.txt</c>: the question bank as an Anki import file, so the cards go to a phone.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The file to write (a tab-separated Anki import file, e.g. cards.txt)" };
        var anki = new Command("anki", "Write the flashcards and Q/A pairs of the notes as an Anki import file: front, back with the note's lines, a tag per topic") { file };
        anki.SetAction((parse, ct) =>
        {
            using var host = CommonOptions.BuildHost(parse);
            var tutor = host.Tutor();
            Output.UpdateBeforeQuestions(tutor, ct);
            var path = Path.GetFullPath(parse.GetValue(file)!);
            var cards = tutor.QuestionBank();
            var text = new StringBuilder("#separator:tab\n#html:true\n#tags column:3\n");
            foreach (var card in cards)
            {
                var lines = tutor.Cite(new CitationReference(card.File, card.StartLine, card.EndLine)).Lines;
                text.Append(Field(card.Question)).Append('\t').Append(Back(card, lines)).Append('\t').Append(Tag(card.Topic)).Append('\n');
            }
            try { AtomicFile.WriteAllText(path, text.ToString()); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserException($"{path} could not be written ({e.Message}): give a path in a folder you can write");
            }
            Console.Error.WriteLine($"wrote {cards.Count} cards to {path}: in Anki, File › Import");
            return Task.FromResult(0);
        });
        return new Command("export", "Export the notes' questions for other tools") { anki };
    }

    /// <summary>The card's lines below its question, as the notes write them, and where they are.</summary>
    private static string Back(InterviewQuestion card, IReadOnlyList<string> lines)
    {
        var answer = lines.Where(l => l.Trim().Length > 0 && l.Trim() != "???" && !l.Contains(card.Question, StringComparison.Ordinal)).ToList();
        return string.Join("<br>", answer.Select(Field)) + $"<br><br><small>{Field($"{card.File}:{card.StartLine}-{card.EndLine}")}</small>";
    }

    /// <summary>Text made safe for a field of an HTML import: escaped, with no tab or line break to split the row.</summary>
    private static string Field(string text) => WebUtility.HtmlEncode(text.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' '));

    private static string Tag(string topic) => "mltutor " + string.Concat(topic.Select(c => char.IsLetterOrDigit(c) ? c : '_')).Trim('_');
}
