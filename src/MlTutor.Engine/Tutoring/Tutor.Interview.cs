using MlTutor.Ingestion;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tutoring;

/// <summary>Mock interviews: questions from the notes' own flashcards and Q/A pairs, asked when they are due.</summary>
public sealed partial class Tutor
{
    /// <summary>
    /// The interview questions: every flashcard and Q/A pair of the question bank (<see cref="Questions"/>), in note
    /// order. Its topic is the heading it sits under below the note's title.
    /// </summary>
    public IReadOnlyList<InterviewQuestion> QuestionBank() =>
        [.. Questions().Where(q => q.Kind != ItemKind.Section)
            .Select(q => new InterviewQuestion(q.ItemId, q.Question, TopicOf(q.HeadingPath, q.File), q.File, q.StartLine, q.EndLine))];

    /// <summary>
    /// The question bank: every question the notes answer (flashcards, Q/A pairs, headings written as questions), once
    /// each, in note order; with a <paramref name="topic"/>, only those whose question, headings or file contain it.
    /// </summary>
    public IReadOnlyList<BankQuestion> Questions(string? topic = null)
    {
        using var lease = _live.Acquire();
        var bank = Ingestion.QuestionBank.Of(lease.Index.Chunks);
        return string.IsNullOrWhiteSpace(topic) ? bank
            : [.. bank.Where(q => new[] { q.Question, q.HeadingPath, q.File }.Any(t => t.Contains(topic.Trim(), StringComparison.OrdinalIgnoreCase)))];
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
        var grade = Grade(question.Question, answer, question);
        var review = RecordReview(new ReviewItem(question.ItemId, question.Topic), ReviewGrade.Of(grade, answerTime));
        return (grade, review);
    }

    /// <summary>
    /// As <see cref="AnswerInterviewQuestion"/>, with a language model's grade and feedback beside the offline grade when
    /// <paramref name="provider"/> (default: Answering:Provider) is a model (<see cref="GradeAsync"/>). The review is
    /// scheduled from the offline grade, so that a question's schedule does not depend on which model happened to grade it,
    /// and before the model is asked, so that an answer stopped while the model grades is still counted.
    /// </summary>
    public async Task<(GradedAnswer Grade, ReviewLogEntry Review)> AnswerInterviewQuestionAsync(InterviewQuestion question, string answer,
        TimeSpan? answerTime = null, AnswerProvider? provider = null, CancellationToken cancellationToken = default)
    {
        var (offline, review) = AnswerInterviewQuestion(question, answer, answerTime);
        return (await WithModelGradeAsync(offline, answer, provider, cancellationToken), review);
    }

    private static bool OnTopic(InterviewQuestion q, string topic) =>
        q.Topic.Contains(topic, StringComparison.OrdinalIgnoreCase) || q.File.Contains(topic, StringComparison.OrdinalIgnoreCase);

    /// <summary>The heading below the note's title (a note's chapters are its topics), else the title, else the file.</summary>
    private static string TopicOf(string headingPath, string file)
    {
        var headings = headingPath.Split(HeadingText.Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return headings.Length switch { 0 => Path.GetFileNameWithoutExtension(file), 1 => headings[0], _ => headings[1] };
    }
}
