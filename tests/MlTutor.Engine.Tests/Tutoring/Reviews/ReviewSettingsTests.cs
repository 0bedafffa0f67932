using Microsoft.Extensions.Configuration;
using MlTutor.Tutoring;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>The Review: settings as the binder reads them, and the one-line refusals of values FSRS cannot schedule with.</summary>
public sealed class ReviewSettingsTests
{
    private static TutorSettings Bind(params (string Key, string Value)[] values) =>
        SettingsBinding.Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void Without_review_settings_the_scheduler_uses_the_published_defaults()
    {
        var parameters = SettingsRules.Scheduling(Bind().Review);

        Assert.Equal(FsrsParameters.DefaultWeights, parameters.Weights);
        Assert.Equal(0.9, parameters.DesiredRetention);
        Assert.Empty(parameters.LearningSteps);
    }

    [Fact]
    public void Configured_weights_retention_and_steps_reach_the_scheduler()
    {
        var weights = FsrsParameters.DefaultWeights.Select((w, i) => ($"Review:Weights:{i}", (i == 3 ? 9.5 : w).ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var settings = Bind([.. weights, ("Review:DesiredRetention", "0.85"), ("Review:LearningStepsMinutes:0", "1"), ("Review:LearningStepsMinutes:1", "10")]);

        var parameters = SettingsRules.Scheduling(settings.Review);

        Assert.Equal(9.5, parameters.Weights[3]);
        Assert.Equal(0.85, parameters.DesiredRetention);
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)], parameters.LearningSteps);
        // The easy first review now starts from 9.5 days, aimed at 85% recall.
        var card = new Fsrs(parameters).Review(null, Rating.Easy, DateTimeOffset.UnixEpoch);
        Assert.Equal(9.5, card.Stability);
        Assert.True(card.Interval > TimeSpan.FromDays(9.5));
    }

    [Theory]
    [InlineData("Review:DesiredRetention", "1", "from 0.7 to 0.99")]
    [InlineData("Review:MaximumIntervalDays", "0", "at least 1")]
    [InlineData("Review:Weights:20", "0.95", "from 0.1 to 0.8")]
    [InlineData("Review:Weights:4", "eleven", "a number such as 0.5")]
    [InlineData("Review:Weights", "0.2,1.3", "set its elements one by one")]
    [InlineData("Review:RelearningStepsMinutes:0", "-10", "more than 0")]
    [InlineData("Review:EasyMinScore", "2", "from 0 to 1")]
    public void A_value_fsrs_cannot_schedule_with_is_refused_naming_it(string key, string value, string allowed)
    {
        // A single weight outside the list is compared with the full list around it.
        var values = key.StartsWith("Review:Weights:", StringComparison.Ordinal)
            ? FsrsParameters.DefaultWeights.Select((w, i) => ($"Review:Weights:{i}", w.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))
                .Where(v => v.Item1 != key).Append((key, value)).ToArray()
            : [(key, value)];

        var e = Assert.Throws<TutorException>(() => Bind(values));

        Assert.Equal(Remedy.FixSetting, e.Remedy);
        Assert.Equal(key, e.Setting);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains(allowed, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_list_of_weights_of_the_wrong_length_is_refused()
    {
        var e = Assert.Throws<TutorException>(() => Bind(("Review:Weights:0", "0.2"), ("Review:Weights:1", "1.3")));

        Assert.Equal("Review:Weights", e.Setting);
        Assert.Contains("2 numbers", e.Message);
        Assert.Contains("21 weights", e.Message);
    }
}
