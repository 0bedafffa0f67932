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
        var (answerer, context) = Prepare(question, options);
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
        var (answerer, context) = Prepare(question, options);
        await foreach (var update in answerer.StreamAsync(context, options.Style, cancellationToken))
            yield return update;
    }

    private (IAnswerer Answerer, RetrievedContext Context) Prepare(string question, QuestionOptions options)
    {
        var provider = options.Provider ?? TutorNames.Provider(Settings.Answering.Provider);
        var answerer = _answerers.For(provider);
        // Every answerer can run the offline one, which uses the full encoder session: a language model's answer is followed
        // by it when uncited or looping, and replaced by it when the model fails. Questions go through that session too: a
        // second one just for them costs about 100 MB and saves nothing in an answer's time.
        return (answerer, Retrieve(question, options, Encoder));
    }

    private RetrievedContext Retrieve(string question, QuestionOptions options, MiniLmEncoder encoder)
    {
        var k = options.K ?? Settings.Retrieval.K;
        if (k is < 1 or > TutorSettings.RetrievalSettings.MaxK)
            throw new TutorException($"{k} passages cannot be retrieved: ask for 1 to {TutorSettings.RetrievalSettings.MaxK}", Remedy.FixInput);
        var kind = options.Retriever ?? TutorNames.Retriever(Settings.Retrieval.Retriever);
        var maxChars = Settings.Retrieval.MaxQuestionChars;
        question = QuestionText.Cut(QuestionText.WellFormed(question), maxChars);
        var history = options.History.Select(h => QuestionText.Cut(QuestionText.WellFormed(h), maxChars))
            .Where(h => !string.IsNullOrWhiteSpace(h)).ToList();
        // The whole retrieval reads one generation: an update publishing the next one meanwhile changes nothing here.
        using var lease = _live.Acquire();
        return _retrieval.Retrieve(lease.Index, encoder, question, history, k, kind, maxChars) with { History = history };
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
