using Xunit;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Tests.Retrieval;

public sealed class CoverageGateTests
{
    [Fact]
    public void Calibration_keeps_95_percent_answered_and_abstains_as_much_as_possible()
    {
        // 20 answerable scores 0.40, 0.42, ... 0.78: one (5%) may be lost, so the lowest kept is 0.42.
        var answerable = Enumerable.Range(0, 20).Select(i => 0.40f + 0.02f * i).ToArray();
        var unanswerable = new[] { 0.10f, 0.25f, 0.30f, 0.41f, 0.45f, 0.90f };
        var c = CoverageGate.Calibrate(answerable, unanswerable);
        // Highest score below 0.42 is the unanswerable 0.41: the threshold sits midway.
        Assert.Equal(0.415f, c.Threshold, 4);
        Assert.Equal(19 / 20.0, c.AnsweredShare, 6);
        Assert.Equal(4 / 6.0, c.AbstainedShare, 6);
    }

    [Fact]
    public void Calibration_with_perfectly_separated_scores_abstains_on_all()
    {
        var c = CoverageGate.Calibrate([0.6f, 0.7f, 0.8f], [0.2f, 0.3f], minAnswered: 1.0);
        Assert.Equal(0.45f, c.Threshold, 4);
        Assert.Equal(1.0, c.AnsweredShare);
        Assert.Equal(1.0, c.AbstainedShare);
    }

    [Fact]
    public void Calibration_never_drops_more_answerable_than_allowed_with_ties()
    {
        var c = CoverageGate.Calibrate([0.5f, 0.5f, 0.5f, 0.9f], [0.5f, 0.1f], minAnswered: 0.95);
        Assert.Equal(1.0, c.AnsweredShare);
        Assert.Equal(0.5, c.AbstainedShare);
        Assert.Throws<ArgumentException>(() => CoverageGate.Calibrate([], [0.1f]));
    }

    [Fact]
    public void Gate_applies_any_or_all_rules_and_ignores_unmeasured_features()
    {
        var thresholds = new Dictionary<CoverageFeature, float> { [CoverageFeature.TopDense] = 0.4f, [CoverageFeature.TopKeywordNormalized] = 0.2f };
        var any = new CoverageGate(new CoverageGateOptions { Thresholds = thresholds, Rule = CoverageRule.AnyBelow });
        var all = new CoverageGate(new CoverageGateOptions { Thresholds = thresholds, Rule = CoverageRule.AllBelow });
        var oneLow = new CoverageSignals(0.35f, 0.5f, null, null);
        var bothLow = new CoverageSignals(0.35f, 0.1f, null, null);
        var denseOnly = new CoverageSignals(0.5f, null, null, null);
        Assert.True(any.NotCovered(oneLow));
        Assert.False(all.NotCovered(oneLow));
        Assert.True(all.NotCovered(bothLow));
        Assert.False(any.NotCovered(denseOnly));
        Assert.False(new CoverageGate(new CoverageGateOptions()).NotCovered(bothLow));
    }

    [Fact]
    public void A_question_naming_something_the_notes_never_mention_needs_a_stronger_dense_match()
    {
        var gate = new CoverageGate(new CoverageGateOptions
        {
            Thresholds = new Dictionary<CoverageFeature, float> { [CoverageFeature.TopDense] = 0.45f },
            MinTopDenseWithUnknownName = 0.55f,
        });
        var moderate = new CoverageSignals(0.5f, null, null, null);
        Assert.False(gate.NotCovered(moderate));
        Assert.True(gate.NotCovered(moderate with { UnknownNames = ["FlashAttention"] }));
        Assert.False(gate.NotCovered(new CoverageSignals(0.6f, null, null, null) { UnknownNames = ["FlashAttention"] }));
        Assert.True(gate.NotCovered(new CoverageSignals(0.4f, null, null, null)));
        // Without the option, names are not tested.
        var plain = new CoverageGate(new CoverageGateOptions { Thresholds = gate.Options.Thresholds });
        Assert.False(plain.NotCovered(moderate with { UnknownNames = ["FlashAttention"] }));
    }

    [Fact]
    public void Signals_are_read_from_a_hybrid_search()
    {
        ScoredChunk H(string id, float s) => new(new Chunk(id, "f.md", "", 1, 1, id, id, 0), s);
        var search = new HybridSearch(
            Fused: [H("a", 0.03f)],
            Dense: [H("a", 0.71f), H("b", 0.6f), H("c", 0.5f), H("d", 0.4f), H("e", 0.3f)],
            Keyword: [H("b", 8f), H("a", 6f), H("x", 5f), H("y", 4f), H("z", 3f)]);
        var signals = CoverageSignals.From(search, keywordUpperBound: 20f);
        Assert.Equal(0.71f, signals.TopDense);
        Assert.Equal(0.4f, signals.TopKeywordNormalized!.Value, 5);
        Assert.Equal(0.03f, signals.TopFused);
        Assert.Equal(2 / 5f, signals.Agreement);
        Assert.Null(CoverageSignals.From(search, 0).TopKeywordNormalized);
        Assert.Equal(0f, CoverageSignals.From(new HybridSearch([], [], []), 5f).TopKeywordNormalized);
    }
}
