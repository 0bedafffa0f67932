using MlTutor.Answering;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Tutoring;

/// <summary>Grading: an interview answer judged against the reference the notes give for its question.</summary>
public sealed partial class Tutor
{
    /// <summary>
    /// Grades <paramref name="answer"/> to <paramref name="question"/> offline: the reference is found in the notes as an
    /// interview finds it (the question's passages), and the answer is judged point by point (<see cref="AnswerGrader"/>).
    /// A question the notes do not cover has nothing to grade against: it fails, with no key points.
    /// </summary>
    public GradedAnswer Grade(string question, string answer) => Grade(question, answer, item: null);

    /// <param name="item">A question of the question bank: its reference is the key points of its own answer, the claims the
    /// notes give as its answer (<see cref="OwnReference"/>), not what retrieval happens to bring beside them. Retrieval's
    /// reference is the fallback when its answer holds nothing to quote or it is no longer in the notes.</param>
    private GradedAnswer Grade(string question, string answer, InterviewQuestion? item)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var context = Retrieve(question, new QuestionOptions { K = Settings.Grading.Passages }, Encoder);
        var grading = Settings.Grading;
        Func<IReadOnlyList<string>, float[][]> embed = texts => Encoder.EmbedSentences(texts);
        var notes = item is not null && OwnReference(context, item, grading.MaxKeyPoints) is { } own ? own
            : context.NotCovered ? new ReferencePoints([], [])
            : ReferenceKeyPoints.Of(context, embed, grading.ReferenceChars, grading.MaxKeyPoints);
        return new AnswerGrader(embed, grading).Grade(context.Question, QuestionText.WellFormed(answer), notes);
    }

    /// <summary>
    /// The key points of an item's own answer, as the index holds them now (<see cref="BankQuestion.KeyPoints"/>): the item
    /// is found again by its id, since its note may have been edited (and re-indexed by a watch) since it was drawn. Beside
    /// them stand the other claims of the chunks the item lies in (the neighbouring cards) and of the retrieved passages:
    /// an answer may swap the terms of two of them. Null when the item is no longer in the notes or its answer holds
    /// nothing to quote.
    /// </summary>
    private ReferencePoints? OwnReference(RetrievedContext context, InterviewQuestion item, int maxKeyPoints)
    {
        using var lease = _live.Acquire();
        var chunks = lease.Index.Chunks;
        if (Ingestion.QuestionBank.Of(chunks).FirstOrDefault(q => q.ItemId == item.ItemId) is not { KeyPoints.Count: > 0 } now) return null;
        bool OnItem(Chunk c) => c.File == now.File && c.StartLine <= now.EndLine && c.EndLine >= now.StartLine;
        var onItem = chunks.Where(OnItem).ToList();
        var own = now.KeyPoints.Select(k => KeyPointOf(k, onItem.FirstOrDefault(c => c.StartLine <= k.StartLine && k.StartLine <= c.EndLine) ?? onItem[0]))
            .ToList();
        // The passages hold the item's own claims again: those are the stored ones, in the reference.
        var around = NoteClaims.Of([.. onItem, .. context.Passages.Select(p => p.Chunk).Where(c => !OnItem(c))])
            .Where(p => !own.Any(o => o.StartLine == p.StartLine && o.EndLine == p.EndLine && o.Text == p.Text))
            .Select(p => p with { Passage = p.Passage + 1 });
        return new ReferencePoints([.. own, .. around], own.Take(maxKeyPoints).ToList());
    }

    /// <summary>An item's key point as grading cites it: from the chunk it starts in, the first of the reference's passages.</summary>
    private static KeyPoint KeyPointOf(ItemKeyPoint point, Chunk chunk) =>
        new(point.Text, point.Context, chunk.File, point.StartLine, point.EndLine, 0, chunk.HeadingPath, chunk.Id) { Items = point.Items };

    /// <summary>
    /// Grades <paramref name="answer"/> offline (<see cref="Grade"/>) and, when <paramref name="provider"/> (default:
    /// Answering:Provider) is a language model, has the model grade it too, against the same key points with a rubric, and
    /// write feedback (<see cref="GradedAnswer.ByModel"/>). The offline grade is always computed and stays the grade: a
    /// model's score is not comparable from one model to the next, nor always readable. A model that fails leaves the
    /// offline grade with the reason (<see cref="GradedAnswer.ModelError"/>); nothing is sent for a question the notes do not
    /// cover or an empty answer.
    /// </summary>
    public Task<GradedAnswer> GradeAsync(string question, string answer, AnswerProvider? provider = null, CancellationToken cancellationToken = default) =>
        WithModelGradeAsync(Grade(question, answer), answer, provider, cancellationToken);

    /// <summary><paramref name="graded"/> (the offline grade) with the language model's grade beside it, or the reason
    /// the model gave none: it could not be reached or set up (<see cref="GradedAnswer.ModelError"/>).</summary>
    private async Task<GradedAnswer> WithModelGradeAsync(GradedAnswer graded, string answer, AnswerProvider? provider, CancellationToken cancellationToken)
    {
        var chosen = provider ?? TutorNames.Provider(Settings.Answering.Provider);
        if (chosen == AnswerProvider.Offline || graded.NotCovered || string.IsNullOrWhiteSpace(answer)) return graded;
        var points = graded.KeyPoints.Select(k => k.Point).ToList();
        try
        {
            var byModel = await _answerers.Model(chosen).GradeAsync(graded.Question, [.. points.Select(p => p.Text)],
                QuestionText.WellFormed(answer), cancellationToken);
            return graded with
            {
                ByModel = new ModelFeedback(TutorNames.Name(chosen), byModel.Score, [.. byModel.Covered.Select(n => points[n - 1])],
                    [.. byModel.Missed.Select(n => points[n - 1])], byModel.Feedback),
            };
        }
        // A model that is misconfigured (an endpoint that is no URL) fails the grading it was asked for, not the grade.
        catch (Exception e) when (e is AnswererException or TutorException)
        {
            return graded with { ModelError = e.Message };
        }
    }
}
