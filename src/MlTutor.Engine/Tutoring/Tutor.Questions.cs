using System.Runtime.CompilerServices;
using MlTutor.Answering;
using MlTutor.Embedding;
using MlTutor.Retrieval;

namespace MlTutor.Tutoring;

/// <summary>Questions: the passages for a question, and an answer with checked citations, whole or as it is produced.</summary>
public sealed partial class Tutor
{
    /// <summary>
    /// The passages for a question, best first, and whether the notes cover it. The question is read well-formed and cut
    /// to Retrieval:MaxQuestionChars (a host that wants to warn does so where the question enters).
    /// </summary>
    public RetrievedContext Retrieve(string question, QuestionOptions? options = null) =>
        Retrieve(question, options ?? new QuestionOptions(), QueryEncoder);

    /// <summary>An answer from the notes, with its citations checked against the passages it was given.</summary>
    public async Task<Answer> AskAsync(string question, QuestionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new QuestionOptions();
        var (answerer, context) = await PrepareAsync(question, options, cancellationToken);
        return await answerer.AnswerAsync(context, options.Style, cancellationToken);
    }

    /// <summary>
    /// An answer as it is produced: pieces of text to show at once, the last update carrying the whole answer with its
    /// checked citations (<see cref="AnswerUpdate.Final"/>).
    /// </summary>
    public async IAsyncEnumerable<AnswerUpdate> AskStreamingAsync(string question, QuestionOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new QuestionOptions();
        var (answerer, context) = await PrepareAsync(question, options, cancellationToken);
        await foreach (var update in answerer.StreamAsync(context, options.Style, cancellationToken))
            yield return update;
    }

    private async Task<(IAnswerer Answerer, RetrievedContext Context)> PrepareAsync(string question, QuestionOptions options,
        CancellationToken cancellationToken)
    {
        var provider = options.Provider ?? TutorNames.Provider(Settings.Answering.Provider);
        var answerer = _answerers.For(provider);
        // Every answerer can run the offline one, which uses the full encoder session: a language model's answer is followed
        // by it when uncited or looping, and replaced by it when the model fails. Questions go through that session too: a
        // second one just for them costs about 100 MB and saves nothing in an answer's time.
        var rewritten = provider == AnswerProvider.Offline || options.History.Count == 0
            ? null
            : await RewriteAsync(question, options, provider, cancellationToken);
        return (answerer, Retrieve(question, options, Encoder, rewritten));
    }

    /// <summary>
    /// A follow-up as the language model rewrites it to stand alone; null when the model cannot be reached or gives no
    /// usable question, so that the offline rule reads the turn with the conversation (the answer then says what failed,
    /// should the model fail again).
    /// </summary>
    private async Task<string?> RewriteAsync(string question, QuestionOptions options, AnswerProvider provider,
        CancellationToken cancellationToken)
    {
        var (asked, history) = Normalized(question, options);
        if (history.Count == 0) return null;
        try
        {
            var rewritten = await _answerers.Model(provider).RewriteAsync(history, asked, cancellationToken);
            return rewritten is null ? null : QuestionText.Cut(QuestionText.WellFormed(rewritten), Settings.Retrieval.MaxQuestionChars);
        }
        catch (AnswererException)
        {
            return null;
        }
    }

    /// <param name="rewritten">The question as the language model rewrote it to stand alone: retrieved in its place.</param>
    private RetrievedContext Retrieve(string question, QuestionOptions options, MiniLmEncoder encoder, string? rewritten = null)
    {
        var k = options.K ?? Settings.Retrieval.K;
        if (k is < 1 or > TutorSettings.RetrievalSettings.MaxK)
            throw new TutorException($"{k} passages cannot be retrieved: ask for 1 to {TutorSettings.RetrievalSettings.MaxK}", Remedy.FixInput);
        var kind = options.Retriever ?? TutorNames.Retriever(Settings.Retrieval.Retriever);
        var maxChars = Settings.Retrieval.MaxQuestionChars;
        (question, var history) = Normalized(question, options);
        // The whole retrieval reads one generation: an update publishing the next one meanwhile changes nothing here.
        using var lease = _live.Acquire();
        var context = rewritten is null
            ? _retrieval.Retrieve(lease.Index, encoder, question, history, k, kind, maxChars) with { History = history }
            // The rewrite goes through the offline rule too: one that still leans on the conversation ("how strong to
            // make it?", as small models write) is read with the earlier turns.
            : ReadAsRewritten(_retrieval.Retrieve(lease.Index, encoder, rewritten, history, k, kind, maxChars), question, history);
        // An interviewer follows up with questions the notes answer.
        return options.Style == AnswerStyle.Interviewer ? context with { QuestionBank = Ingestion.QuestionBank.Of(lease.Index.Chunks) } : context;
    }

    /// <summary>The retrieval of a rewrite, told as the answer to the question asked: the rewrite stays what it was read as.</summary>
    private static RetrievedContext ReadAsRewritten(RetrievedContext read, string question, List<string> history) =>
        read with { Question = question, StandaloneQuestion = read.StandaloneQuestion, History = history };

    /// <summary>The question read well-formed and cut to Retrieval:MaxQuestionChars, and the earlier questions likewise.</summary>
    private (string Question, List<string> History) Normalized(string question, QuestionOptions options)
    {
        var maxChars = Settings.Retrieval.MaxQuestionChars;
        var history = options.History.Select(h => QuestionText.Cut(QuestionText.WellFormed(h), maxChars))
            .Where(h => !string.IsNullOrWhiteSpace(h)).ToList();
        return (QuestionText.Cut(QuestionText.WellFormed(question), maxChars), history);
    }

    /// <summary>
    /// Whether the language model of <paramref name="provider"/> (default: Answering:Provider, or the endpoint when that is
    /// offline) answers, with which model and how fast. A model that does not answer is an <see cref="AnswererException"/>
    /// saying why in one line; asking the offline answerer is a <see cref="TutorException"/>.
    /// </summary>
    public Task<LlmCheckReport> CheckLlmAsync(AnswerProvider? provider = null, CancellationToken cancellationToken = default)
    {
        if (provider == AnswerProvider.Offline)
            throw new TutorException($"the {TutorNames.Name(AnswerProvider.Offline)} answerer has no language model to check", Remedy.FixInput);
        var chosen = provider ?? TutorNames.Provider(Settings.Answering.Provider);
        if (chosen == AnswerProvider.Offline) chosen = AnswerProvider.OpenAi;
        return _answerers.Model(chosen).CheckAsync(TutorNames.Name(chosen), cancellationToken);
    }
}
