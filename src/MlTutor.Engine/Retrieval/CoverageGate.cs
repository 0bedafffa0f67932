using MlTutor.Indexing;

namespace MlTutor.Retrieval;

/// <summary>A retrieval score that says how well the notes match a question.</summary>
public enum CoverageFeature
{
    /// <summary>The whole question's best dense similarity (<see cref="HybridSearch.DenseBestWhole"/>), else the best dense hit's score.</summary>
    TopDense,

    /// <summary>Best BM25 score divided by the query's BM25 upper bound (<see cref="KeywordIndex.ScoreUpperBound"/>), 0..1:
    /// unlike a raw BM25 score it does not grow with the length of the question.</summary>
    TopKeywordNormalized,

    /// <summary>Score of the best fused hit (its scale depends on the fusion method).</summary>
    TopFused,

    /// <summary>Share of the dense top-n also in the keyword top-n, 0..1: both sides agreeing suggests a real match.</summary>
    Agreement,
}

/// <summary>The features of one question's retrieval; null when a feature was not measured. <see cref="UnknownNames"/> are
/// the names in the question that the notes never mention (<see cref="KeywordIndex.UnknownNames"/>).</summary>
public sealed record CoverageSignals(float? TopDense, float? TopKeywordNormalized, float? TopFused, float? Agreement)
{
    public IReadOnlyList<string> UnknownNames { get; init; } = [];

    /// <summary>Depth at which <see cref="CoverageFeature.Agreement"/> compares the two rankings.</summary>
    public const int DefaultAgreementDepth = 5;

    public float? this[CoverageFeature feature] => feature switch
    {
        CoverageFeature.TopDense => TopDense,
        CoverageFeature.TopKeywordNormalized => TopKeywordNormalized,
        CoverageFeature.TopFused => TopFused,
        CoverageFeature.Agreement => Agreement,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>Signals of a hybrid search. An empty ranking gives 0 for its features (nothing matched).</summary>
    /// <param name="keywordUpperBound">The query's <see cref="KeywordIndex.ScoreUpperBound"/>; 0 or less leaves the keyword feature unmeasured.</param>
    /// <param name="unknownNames">The question's <see cref="KeywordIndex.UnknownNames"/>; null: none.</param>
    public static CoverageSignals From(HybridSearch search, float keywordUpperBound, IReadOnlyList<string>? unknownNames = null,
        int agreementDepth = DefaultAgreementDepth)
    {
        float? keyword = keywordUpperBound > 0
            ? (search.Keyword.Count > 0 ? search.Keyword[0].Score / keywordUpperBound : 0f)
            : null;
        return new CoverageSignals(
            search.DenseBestWhole ?? (search.Dense.Count > 0 ? search.Dense[0].Score : 0f),
            keyword,
            search.Fused.Count > 0 ? search.Fused[0].Score : 0f,
            AgreementOf(search.Dense, search.Keyword, agreementDepth)) { UnknownNames = unknownNames ?? [] };
    }

    /// <summary>|top-n of a ∩ top-n of b| / n, by chunk id.</summary>
    public static float AgreementOf(IReadOnlyList<ScoredChunk> a, IReadOnlyList<ScoredChunk> b, int depth)
    {
        if (depth <= 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "Depth must be positive.");
        var top = a.Take(depth).Select(h => h.Chunk.Id).ToHashSet(StringComparer.Ordinal);
        return b.Take(depth).Select(h => h.Chunk.Id).Distinct().Count(top.Contains) / (float)depth;
    }
}

/// <summary>Whether a question is marked not covered when one feature, or all, fall below their thresholds.</summary>
public enum CoverageRule
{
    /// <summary>Not covered when any thresholded feature is below its threshold (abstains more).</summary>
    AnyBelow,

    /// <summary>Not covered only when every thresholded feature is below its threshold (abstains less).</summary>
    AllBelow,
}

public sealed record CoverageGateOptions
{
    /// <summary>The features to test and the lowest value at which each still counts as covered.
    /// Empty: every question is covered (as long as something was retrieved).</summary>
    public IReadOnlyDictionary<CoverageFeature, float> Thresholds { get; init; } = new Dictionary<CoverageFeature, float>();

    public CoverageRule Rule { get; init; } = CoverageRule.AnyBelow;

    /// <summary>
    /// The <see cref="CoverageFeature.TopDense"/> a question needs when it uses a name the notes never mention
    /// (<see cref="CoverageSignals.UnknownNames"/>); below it the question is not covered whatever the other tests say.
    /// A question about "FlashAttention" matches notes on attention fairly well, but they cannot answer it.
    /// Null: names are not tested.
    /// </summary>
    public float? MinTopDenseWithUnknownName { get; init; }
}

/// <summary>
/// Decides from retrieval scores alone whether the notes cover a question, so that the answerer can say "the notes do
/// not cover this" instead of answering from weak passages. Thresholds come from <see cref="Calibrate"/> on a question
/// set with known answerable and unanswerable questions.
/// </summary>
public sealed class CoverageGate
{
    public CoverageGate(CoverageGateOptions options) => Options = options ?? throw new ArgumentNullException(nameof(options));

    public CoverageGateOptions Options { get; }

    /// <summary>True when the notes do not cover the question: it uses a name the notes never mention and its dense match
    /// is below <see cref="CoverageGateOptions.MinTopDenseWithUnknownName"/>, or the thresholds say so by their
    /// rule. Features that were not measured are not tested; when none of the thresholded features was measured the
    /// thresholds count the question as covered.</summary>
    public bool NotCovered(CoverageSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (Options.MinTopDenseWithUnknownName is { } strict && signals.UnknownNames.Count > 0 && signals.TopDense < strict)
            return true;
        var tests = Options.Thresholds
            .Where(t => signals[t.Key].HasValue)
            .Select(t => signals[t.Key]!.Value < t.Value)
            .ToList();
        if (tests.Count == 0)
            return false;
        return Options.Rule == CoverageRule.AnyBelow ? tests.Any(b => b) : tests.All(b => b);
    }

    /// <summary>
    /// The threshold (answered when score ≥ threshold) that keeps at least <paramref name="minAnswered"/> of the
    /// answerable questions answered while marking as many unanswerable ones as possible not covered. Among the thresholds
    /// that do equally well it takes the middle of the gap below the lowest answerable score kept, for a margin on new
    /// questions.
    /// </summary>
    public static CoverageCalibration Calibrate(IEnumerable<float> answerable, IEnumerable<float> unanswerable, double minAnswered = 0.95)
    {
        if (minAnswered is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(minAnswered), minAnswered, "Must be a share between 0 and 1.");
        var ans = answerable.OrderBy(s => s).ToArray();
        var una = unanswerable.ToArray();
        if (ans.Length == 0)
            throw new ArgumentException("Calibration needs at least one answerable score.", nameof(answerable));

        // Up to `drop` answerable questions may fall below the threshold; the highest threshold that drops no more
        // is the `drop`-th lowest answerable score (scores equal to it stay answered).
        var drop = (int)Math.Floor(ans.Length * (1 - minAnswered) + 1e-9);
        var lowestKept = ans[Math.Min(drop, ans.Length - 1)];
        var below = ans.Concat(una).Where(s => s < lowestKept).DefaultIfEmpty(float.NaN).Max();
        var threshold = float.IsNaN(below) ? lowestKept : (below + lowestKept) / 2;
        if (threshold <= below)
            threshold = lowestKept; // the two were adjacent floats

        return new CoverageCalibration(
            threshold,
            ans.Count(s => s >= threshold) / (double)ans.Length,
            una.Length == 0 ? 0 : una.Count(s => s < threshold) / (double)una.Length);
    }

    /// <summary><see cref="Calibrate"/> for each feature measured on every question, to see which separates best.</summary>
    public static IReadOnlyDictionary<CoverageFeature, CoverageCalibration> CalibrateEach(
        IReadOnlyList<CoverageSignals> answerable, IReadOnlyList<CoverageSignals> unanswerable, double minAnswered = 0.95)
    {
        var result = new Dictionary<CoverageFeature, CoverageCalibration>();
        foreach (var feature in Enum.GetValues<CoverageFeature>())
        {
            if (answerable.Count == 0 || answerable.Concat(unanswerable).Any(s => !s[feature].HasValue))
                continue;
            result[feature] = Calibrate(
                answerable.Select(s => s[feature]!.Value), unanswerable.Select(s => s[feature]!.Value), minAnswered);
        }
        return result;
    }
}

/// <summary>A calibrated threshold and how it does on the calibration questions.</summary>
/// <param name="AnsweredShare">Share of answerable questions with score ≥ threshold.</param>
/// <param name="AbstainedShare">Share of unanswerable questions with score &lt; threshold (marked not covered).</param>
public sealed record CoverageCalibration(float Threshold, double AnsweredShare, double AbstainedShare);
