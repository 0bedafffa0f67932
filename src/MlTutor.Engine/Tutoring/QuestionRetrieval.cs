using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Retrieval;

namespace MlTutor.Tutoring;

/// <summary>
/// The retrievers the settings describe, over one generation of the index, and the one rule for how a question's
/// passages and its coverage decision are made.
/// </summary>
internal sealed class QuestionRetrieval(TutorSettings.RetrievalSettings settings)
{
    /// <summary>
    /// The passages for a question from the chosen retriever, and whether the notes cover it. The decision always reads
    /// both rankings (dense and keyword), whichever retriever supplies the passages, and a question asking who made
    /// something is covered only where the passages say (<see cref="OriginQuestion"/>).
    /// </summary>
    public RetrievedContext Retrieve(NotesIndex index, MiniLmEncoder encoder, string question, int k, RetrieverKind kind)
    {
        var found = RetrieveText(index, encoder, question, k, kind);
        return !found.NotCovered && OriginQuestion.Unanswered(question, found.Passages.Select(p => p.Chunk.Text))
            ? found with { NotCovered = true }
            : found;
    }

    /// <summary>The passages for a text, and whether the scores say the notes cover it.</summary>
    private RetrievedContext RetrieveText(NotesIndex index, MiniLmEncoder encoder, string question, int k, RetrieverKind kind)
    {
        if (index.Chunks.Count == 0) return new RetrievedContext(question, [], true);
        var keyword = Keyword(index);
        var search = Hybrid(index, encoder, keyword).SearchDetailed(question, k);
        // Each retriever shows passages the same way: the hybrid one joins neighbours as it fuses, the others here.
        var passages = kind switch
        {
            RetrieverKind.Dense => _joiner.Join(search.Dense).Take(k).ToList(),
            RetrieverKind.Keyword => _joiner.Join(search.Keyword).Take(k).ToList(),
            _ => search.Fused,
        };
        var signals = CoverageSignals.From(search, keyword.ScoreUpperBound(question), index.Keywords.UnknownNames(question));
        var notCovered = passages.Count == 0 || _coverageGate.NotCovered(signals);
        return new RetrievedContext(question, passages, notCovered, signals);
    }

    /// <summary>
    /// The passages for a turn of a conversation (<paramref name="history"/>: the earlier questions, oldest first). The
    /// question is read with the earlier turns when it may lean on them: its wording points back
    /// (<see cref="FollowUpQuestion.PointsBack"/>), or alone it is not covered and names nothing of its own (an ellipsis
    /// such as "what's the replay part for?"). It is then read with them only when that fits a follow-up
    /// (<see cref="FollowUpQuestion.ReadsAsFollowUp"/>: it gains from them, and either stays near their topic or, pointing
    /// back, has its own words in the passages on it); otherwise alone, so that a change of topic leaves the history
    /// behind. A turn that says it goes back past the last one (<see cref="FollowUpQuestion.GoesBack"/>) is a follow-up
    /// by its own words, read with the turns before the last. Read with the earlier turns, a follow-up is still not
    /// covered when it asks beyond what the passages hold: a name the notes never mention, or who made the thing
    /// (<see cref="OriginQuestion"/>).
    /// </summary>
    public RetrievedContext Retrieve(NotesIndex index, MiniLmEncoder encoder, string question, IReadOnlyList<string> history,
        int k, RetrieverKind kind, int maxChars)
    {
        var alone = Retrieve(index, encoder, question, k, kind);
        if (history.Count == 0 || index.Chunks.Count == 0) return alone;
        var pointsBack = FollowUpQuestion.PointsBack(question);
        // An ellipsis leaves its topic out; a question that names one ("NMS", "GloVe") is about that, whatever came before.
        var ellipsis = alone.NotCovered && KeywordAnalysis.Names(question).Count == 0;
        if (!pointsBack && !ellipsis) return alone;
        var goesBack = history.Count >= 2 && FollowUpQuestion.GoesBack(question);
        var turns = goesBack ? history.Take(history.Count - 1).ToList() : history;
        var standalone = FollowUpQuestion.Standalone(turns, question, maxChars);
        var read = RetrieveText(index, encoder, standalone, k, kind);
        if (!goesBack && !FollowUpQuestion.ReadsAsFollowUp(alone.Signals?.TopDense, read.Signals?.TopDense,
                EarlierTurns().Signals?.TopDense, pointsBack ? OwnWordsFound : null))
            return alone;
        var notCovered = read.NotCovered || AskedBeyondTheNotes()
            || OriginQuestion.Unanswered(question, read.Passages.Select(p => p.Chunk.Text));
        return new RetrievedContext(question, read.Passages, notCovered, read.Signals)
        {
            StandaloneQuestion = standalone,
        };

        RetrievedContext EarlierTurns() => RetrieveText(index, encoder,
            FollowUpQuestion.Standalone(turns.Take(turns.Count - 1).ToList(), turns[^1], maxChars), k, kind);

        double OwnWordsFound() => index.Keywords.WordWeightFoundIn(question,
            read.Passages.Take(FollowUpQuestion.PassagesSearchedForOwnWords).Select(p => p.Chunk.Text));

        // Read with the earlier turns, a follow-up matches their topic well even when the notes cannot answer what it
        // asks. One that alone is not found and names something the notes never mention ("and AMSGrad?") is asking
        // beyond them.
        bool AskedBeyondTheNotes() => alone.NotCovered && alone.Signals?.UnknownNames.Count > 0;
    }

    /// <summary>A retriever of the given kind over <paramref name="index"/>, for measuring it alone (BEIR).</summary>
    public IRetriever Create(RetrieverKind kind, NotesIndex index, MiniLmEncoder encoder) => kind switch
    {
        RetrieverKind.Dense => Dense(index, encoder),
        RetrieverKind.Keyword => Keyword(index),
        _ => Hybrid(index, encoder, Keyword(index)),
    };

    // Built once from the settings, which are checked when bound (SettingsRules), so the names parse; each holds only
    // its options and serves every question and thread.
    private readonly PassageJoiner _joiner = new(settings.Join);
    private readonly HybridOptions _hybrid = HybridOptionsFrom(settings);
    private readonly CoverageGate _coverageGate = CoverageGateFrom(settings.Coverage);

    private static KeywordRetriever Keyword(NotesIndex index) => new(index.Keywords, index.FindById);

    private DenseRetriever Dense(NotesIndex index, MiniLmEncoder encoder) => new(index, encoder, settings.Dense);

    private HybridRetriever Hybrid(NotesIndex index, MiniLmEncoder encoder, KeywordRetriever keyword) =>
        new(Dense(index, encoder), keyword, _hybrid);

    private static HybridOptions HybridOptionsFrom(TutorSettings.RetrievalSettings settings)
    {
        var f = settings.Fusion;
        return new HybridOptions
        {
            Method = Enum.Parse<FusionMethod>(f.Method, ignoreCase: true),
            DenseDepth = f.DenseDepth, KeywordDepth = f.KeywordDepth, DenseWeight = f.DenseWeight,
            KeywordWeight = f.KeywordWeight, RrfK = f.RrfK,
            Join = settings.Join,
            Diversify = f.Diversify ? new DiversifierOptions { MaxSimilarity = f.MaxSimilarity } : null,
        };
    }

    private static CoverageGate CoverageGateFrom(TutorSettings.CoverageSettings c)
    {
        var thresholds = new Dictionary<CoverageFeature, float>();
        if (c.MinTopDense is { } d) thresholds[CoverageFeature.TopDense] = d;
        if (c.MinTopKeyword is { } kw) thresholds[CoverageFeature.TopKeywordNormalized] = kw;
        if (c.MinTopFused is { } fu) thresholds[CoverageFeature.TopFused] = fu;
        if (c.MinAgreement is { } a) thresholds[CoverageFeature.Agreement] = a;
        return new CoverageGate(new CoverageGateOptions
        {
            Thresholds = thresholds, Rule = Enum.Parse<CoverageRule>(c.Rule, ignoreCase: true),
            MinTopDenseWithUnknownName = c.MinTopDenseWithUnknownName,
        });
    }
}
