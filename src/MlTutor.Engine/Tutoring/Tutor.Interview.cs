using System.Text.RegularExpressions;
using MlTutor.Ingestion;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tutoring;

/// <summary>Mock interviews: questions from the notes' own flashcards and Q/A pairs, asked when they are due.</summary>
public sealed partial class Tutor
{
    /// <summary>
    /// The question bank: every flashcard and Q/A pair of the index, once each (an item cut into several chunks is one
    /// question), in note order. Its topic is the heading it sits under below the note's title.
    /// </summary>
    public IReadOnlyList<InterviewQuestion> QuestionBank()
    {
        using var lease = _live.Acquire();
        var bank = new Dictionary<string, InterviewQuestion>(StringComparer.Ordinal);
        foreach (var chunk in lease.Index.Chunks)
        {
            if (chunk.Structure is not { } structure) continue;
            foreach (var item in structure.Items)
            {
                if (item.Kind == ItemKind.Section || item.Question is not { } question || bank.ContainsKey(item.Id)) continue;
                var text = QuestionLead().Replace(question.Replace("**", "").Trim(), "").Trim();
                if (text.Length == 0) continue;
                bank[item.Id] = new InterviewQuestion(item.Id, text, TopicOf(item.HeadingPath, chunk.File), chunk.File,
                    chunk.StartLine + item.FirstLine, chunk.StartLine + item.LastLine);
            }
        }
        return [.. bank.Values.OrderBy(q => q.File, StringComparer.Ordinal).ThenBy(q => q.StartLine)];
    }

    /// <summary>
    /// The next <paramref name="count"/> questions: those due for review first (the likeliest to be forgotten first),
    /// then ones never asked, in note order; with a <paramref name="topic"/>, only questions whose topic or file
    /// contains it.
    /// </summary>
    public IReadOnlyList<InterviewQuestion> NextQuestions(int count, string? topic = null)
    {
        if (count < 1) throw new TutorException($"{count} questions cannot be asked: ask for 1 or more", Remedy.FixInput);
        var bank = QuestionBank().Where(q => topic is null || OnTopic(q, topic)).ToList();
        var byId = bank.ToDictionary(q => q.ItemId, StringComparer.Ordinal);
        return DueReviews(bank.Select(q => new ReviewItem(q.ItemId, q.Topic)))
            .Select(d => byId.GetValueOrDefault(d.Item.ItemId)).OfType<InterviewQuestion>().Take(count).ToList();
    }

    /// <summary>
    /// Grades an answer to a question of the bank (<see cref="Grade"/>) and schedules the question's next review from
    /// the grade (<see cref="RatingOf"/>).
    /// </summary>
    /// <param name="answerTime">How long the answer took, when known: a clear pass given quickly is rated Easy.</param>
    public (GradedAnswer Grade, ReviewLogEntry Review) AnswerInterviewQuestion(InterviewQuestion question, string answer, TimeSpan? answerTime = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        var grade = Grade(question.Question, answer);
        var review = RecordReview(new ReviewItem(question.ItemId, question.Topic), ReviewGrade.Of(grade, answerTime));
        return (grade, review);
    }

    private static bool OnTopic(InterviewQuestion q, string topic) =>
        q.Topic.Contains(topic, StringComparison.OrdinalIgnoreCase) || q.File.Contains(topic, StringComparison.OrdinalIgnoreCase);

    /// <summary>The heading below the note's title (a note's chapters are its topics), else the title, else the file.</summary>
    private static string TopicOf(string headingPath, string file)
    {
        var headings = headingPath.Split(" › ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return headings.Length switch { 0 => Path.GetFileNameWithoutExtension(file), 1 => headings[0], _ => headings[1] };
    }

    // "Q:", "Q1.", "Question:" before a flashcard's question are its label, not its words.
    [GeneratedRegex(@"^(?:Q(?:uestion)?\s*\d*\s*[:.)]\s*)", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionLead();
}
