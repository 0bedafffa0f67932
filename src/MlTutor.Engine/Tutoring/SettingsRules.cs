using System.Globalization;
using MlTutor.Retrieval;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tutoring;

/// <summary>
/// The values each setting allows, checked once when the settings are bound: a bad value stops the tutor before any work,
/// with the setting's name and what is allowed, not deep inside whichever part first happens to use it.
/// </summary>
public static class SettingsRules
{
    /// <summary>The most clauses a Lucene query may hold (BooleanQuery.MaxClauseCount, 1024 unless changed).</summary>
    private static int MaxKeywordClauses => Lucene.Net.Search.BooleanQuery.MaxClauseCount;

    /// <summary>Throws a <see cref="TutorException"/> naming the first setting outside what it allows.</summary>
    public static void Check(TutorSettings s)
    {
        Require(s.Corpus.MaxFileBytes >= 1, "Corpus:MaxFileBytes", s.Corpus.MaxFileBytes, "a number of bytes, at least 1");
        Require(IsName<WatchMode>(s.Corpus.Watch, out _), "Corpus:Watch", s.Corpus.Watch, "notify or poll");
        Require(s.Corpus.PollSeconds is >= 0.1 and <= 3600, "Corpus:PollSeconds", s.Corpus.PollSeconds, "from 0.1 to 3600 seconds");

        var r = s.Retrieval;
        Require(TutorNames.TryRetriever(r.Retriever, out _), "Retrieval:Retriever", r.Retriever, TutorNames.Retrievers);
        Require(r.K is >= 1 and <= TutorSettings.RetrievalSettings.MaxK, "Retrieval:K", r.K, $"a whole number, at least 1 and at most {TutorSettings.RetrievalSettings.MaxK}");
        Require(r.MaxQuestionChars >= 1, QuestionText.MaxCharsSetting, r.MaxQuestionChars, "a whole number of characters, at least 1");

        var f = r.Fusion;
        Require(IsName<FusionMethod>(f.Method, out var method), "Retrieval:Fusion:Method", f.Method,
            "ReciprocalRank, ConvexMinMax or ConvexZScore");
        Require(f.DenseDepth >= 1, "Retrieval:Fusion:DenseDepth", f.DenseDepth, "a whole number, at least 1");
        Require(f.KeywordDepth >= 1, "Retrieval:Fusion:KeywordDepth", f.KeywordDepth, "a whole number, at least 1");
        if (method == FusionMethod.ReciprocalRank)
            Require(f.DenseWeight >= 0, "Retrieval:Fusion:DenseWeight", f.DenseWeight, "a weight of 0 or more");
        else
            Require(f.DenseWeight is >= 0 and <= 1, "Retrieval:Fusion:DenseWeight", f.DenseWeight, $"a weight from 0 to 1 with Fusion:Method {f.Method}");
        Require(f.KeywordWeight >= 0, "Retrieval:Fusion:KeywordWeight", f.KeywordWeight, "a weight of 0 or more");
        Require(f.RrfK >= 0, "Retrieval:Fusion:RrfK", f.RrfK, "a whole number, 0 or more");
        Require(f.MaxSimilarity is >= 0 and <= 1, "Retrieval:Fusion:MaxSimilarity", f.MaxSimilarity, "a share from 0 to 1");

        Require(r.Join.Depth >= 0, "Retrieval:Join:Depth", r.Join.Depth, "a whole number, 0 or more (0 turns joining off)");
        Require(r.Join.MaxChunks >= 1, "Retrieval:Join:MaxChunks", r.Join.MaxChunks, "a whole number, at least 1");

        var d = r.Dense;
        Require(d.WindowWeight is >= 0 and <= 1, "Retrieval:Dense:WindowWeight", d.WindowWeight, "a weight from 0 to 1");
        Require(d.PartWeight is >= 0 and <= 1, "Retrieval:Dense:PartWeight", d.PartWeight, "a weight from 0 to 1");
        Require(d.CandidateFactor >= 1, "Retrieval:Dense:CandidateFactor", d.CandidateFactor, "a whole number, at least 1");
        Require(d.MinCandidates >= 1, "Retrieval:Dense:MinCandidates", d.MinCandidates, "a whole number, at least 1");
        Require(d.ExactScanLimit >= 0, "Retrieval:Dense:ExactScanLimit", d.ExactScanLimit, "a whole number, 0 or more");

        var k = r.Keyword;
        Require(k.K1 >= 0, "Retrieval:Keyword:K1", k.K1, "a number, 0 or more");
        Require(k.B is >= 0 and <= 1, "Retrieval:Keyword:B", k.B, "a number from 0 to 1");
        foreach (var (name, weight) in (ReadOnlySpan<(string, float)>)[("TextWeight", k.TextWeight), ("ExactWeight", k.ExactWeight),
                     ("HeadingWeight", k.HeadingWeight), ("LeadWeight", k.LeadWeight)])
            Require(weight >= 0, "Retrieval:Keyword:" + name, weight, "a weight of 0 or more");
        // Each of the four fields searches up to MaxQueryTerms terms, and Lucene refuses a query of more than 1024 clauses.
        Require(k.MaxQueryTerms >= 1 && k.MaxQueryTerms <= MaxKeywordClauses / 4, "Retrieval:Keyword:MaxQueryTerms", k.MaxQueryTerms,
            $"a whole number, at least 1 and at most {MaxKeywordClauses / 4}");

        var c = r.Coverage;
        Require(IsName<CoverageRule>(c.Rule, out _), "Retrieval:Coverage:Rule", c.Rule, "AnyBelow or AllBelow");

        var a = s.Answering;
        Require(TutorNames.TryProvider(a.Provider, out _), "Answering:Provider", a.Provider, TutorNames.Providers);
        // A day is far beyond any answer; larger values would also overflow the HTTP client's timeout.
        Require(a.TimeoutSeconds is >= 1 and <= 86_400, "Answering:TimeoutSeconds", a.TimeoutSeconds, "a whole number of seconds from 1 to 86400");
        Require(a.ConnectTimeoutSeconds is > 0 and <= 3_600, "Answering:ConnectTimeoutSeconds", a.ConnectTimeoutSeconds, "a number of seconds above 0, at most 3600");
        Require(a.FirstTokenTimeoutSeconds is > 0 and <= 86_400, "Answering:FirstTokenTimeoutSeconds", a.FirstTokenTimeoutSeconds, "a number of seconds above 0, at most 86400");
        Require(a.Temperature is >= 0 and <= 2, "Answering:Temperature", a.Temperature, "a number from 0 to 2");
        Require(a.MaxTokens >= 1, "Answering:MaxTokens", a.MaxTokens, "a whole number, at least 1");
        Require(a.MaxPromptTokens >= 1, "Answering:MaxPromptTokens", a.MaxPromptTokens, "a whole number, at least 1");
        Require(a.MaxRetries is >= 0 and <= 10, "Answering:MaxRetries", a.MaxRetries, "a whole number from 0 to 10");
        Require(a.RetryDelaySeconds is >= 0 and <= 60, "Answering:RetryDelaySeconds", a.RetryDelaySeconds, "a number of seconds from 0 to 60");
        Require(a.Local.ContextSize is >= 256 and <= 131_072, "Answering:Local:ContextSize", a.Local.ContextSize, "a whole number of tokens from 256 to 131072");
        Require(a.Local.Threads is >= 0 and <= 256, "Answering:Local:Threads", a.Local.Threads, "a whole number from 0 (one per core) to 256");
        Require(a.Local.RepeatPenalty is >= 1 and <= 2, "Answering:Local:RepeatPenalty", a.Local.RepeatPenalty, "a number from 1 (none) to 2");

        var g = s.Grading;
        Require(g.Passages is >= 1 and <= TutorSettings.RetrievalSettings.MaxK, "Grading:Passages", g.Passages, $"a whole number, at least 1 and at most {TutorSettings.RetrievalSettings.MaxK}");
        Require(g.MaxKeyPoints >= 1, "Grading:MaxKeyPoints", g.MaxKeyPoints, "a whole number, at least 1");
        Require(g.ReferenceChars >= 100, "Grading:ReferenceChars", g.ReferenceChars, "a number of characters, at least 100");
        Require(g.NoSimilarity is >= -1 and < 1, "Grading:NoSimilarity", g.NoSimilarity, "a cosine from -1 to below 1");
        Require(g.FullSimilarity > g.NoSimilarity && g.FullSimilarity <= 1, "Grading:FullSimilarity", g.FullSimilarity, $"a cosine above Grading:NoSimilarity ({g.NoSimilarity.ToString(CultureInfo.InvariantCulture)}) and at most 1");
        Require(g.TermWeight is >= 0 and <= 1, "Grading:TermWeight", g.TermWeight, "a weight from 0 to 1");
        Require(g.CoveredAt is >= 0 and <= 1, "Grading:CoveredAt", g.CoveredAt, "a share from 0 to 1");
        Require(g.SiblingSimilarity is >= -1 and <= 1, "Grading:SiblingSimilarity", g.SiblingSimilarity, "a cosine from -1 to 1");
        Require(g.SwapSimilarity is >= -1 and <= 1, "Grading:SwapSimilarity", g.SwapSimilarity, "a cosine from -1 to 1");
        Require(g.OppositionSimilarity is >= -1 and <= 1, "Grading:OppositionSimilarity", g.OppositionSimilarity, "a cosine from -1 to 1");
        Require(g.ContradictionPenalty >= 0, "Grading:ContradictionPenalty", g.ContradictionPenalty, "a number, 0 or more");
        Require(g.Partial is >= 0 and <= 1, "Grading:Partial", g.Partial, "a score from 0 to 1");
        Require(g.Pass >= g.Partial && g.Pass <= 1, "Grading:Pass", g.Pass, $"a score from Grading:Partial ({g.Partial.ToString(CultureInfo.InvariantCulture)}) to 1");

        CheckReview(s.Review);
    }

    /// <summary>The settings of spaced repetition, as FSRS-6 can schedule with them.</summary>
    public static FsrsParameters Scheduling(TutorSettings.ReviewSettings r) => new()
    {
        Weights = r.Weights.Length == 0 ? FsrsParameters.DefaultWeights : [.. r.Weights],
        DesiredRetention = r.DesiredRetention,
        MaximumIntervalDays = r.MaximumIntervalDays,
        LearningSteps = [.. r.LearningStepsMinutes.Select(TimeSpan.FromMinutes)],
        RelearningSteps = [.. r.RelearningStepsMinutes.Select(TimeSpan.FromMinutes)],
    };

    private static void CheckReview(TutorSettings.ReviewSettings r)
    {
        // Anki offers 0.70 to 0.99: below, intervals reach far past the recall FSRS was fitted on; at 1, every interval is 0.
        Require(r.DesiredRetention is >= 0.7 and <= 0.99, "Review:DesiredRetention", r.DesiredRetention,
            "a share from 0.7 to 0.99 (0.9: an item comes due when its recall has fallen to 90%)");
        Require(r.MaximumIntervalDays >= 1, "Review:MaximumIntervalDays", r.MaximumIntervalDays, "a whole number of days, at least 1");
        Require(r.Weights.Length is 0 or FsrsParameters.WeightCount, "Review:Weights", $"{r.Weights.Length} numbers",
            $"FSRS-6's {FsrsParameters.WeightCount} weights w0..w{FsrsParameters.WeightCount - 1} (or none, for the published defaults)");
        for (var i = 0; i < r.Weights.Length; i++)
        {
            var (min, max) = FsrsParameters.WeightRanges[i];
            Require(r.Weights[i] >= min && r.Weights[i] <= max, $"Review:Weights:{i}", r.Weights[i],
                $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (the range FSRS-6 keeps w{i} in)");
        }
        foreach (var (name, steps) in (ReadOnlySpan<(string, double[])>)[("LearningStepsMinutes", r.LearningStepsMinutes), ("RelearningStepsMinutes", r.RelearningStepsMinutes)])
            for (var i = 0; i < steps.Length; i++)
                // A step of more than a day would be a review in days, which FSRS schedules itself.
                Require(steps[i] is > 0 and <= 1440, $"Review:{name}:{i}", steps[i], "a number of minutes, more than 0 and at most 1440 (a day)");
        Require(r.EasyMinScore is >= 0 and <= 1, "Review:EasyMinScore", r.EasyMinScore, "a score from 0 to 1");
        Require(r.EasyMaxSeconds >= 0, "Review:EasyMaxSeconds", r.EasyMaxSeconds, "a whole number of seconds, 0 or more");
    }

    /// <summary>One of the enum's names (any case). Enum.TryParse alone also takes numbers ("7") and lists ("A,B").</summary>
    private static bool IsName<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        return text is not null && Enum.GetNames<T>().Contains(text.Trim(), StringComparer.OrdinalIgnoreCase)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out value);
    }

    private static void Require(bool allowed, string key, object? value, string expected)
    {
        if (allowed) return;
        var shown = Convert.ToString(value, CultureInfo.InvariantCulture);
        throw SettingsBinding.Refused(key, shown, expected);
    }
}
