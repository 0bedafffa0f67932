using System.Text.Json;
using MlTutor.Tutoring.Reviews;

namespace MlTutor.Tests.Tutoring.Reviews;

/// <summary>
/// Every schedule of ../shared/eval/fsrs6.golden.json, computed by the reference implementation (py-fsrs): each step's
/// retrievability before the review, stability and difficulty within 1e-4 relative, and the exact stage and interval.
/// </summary>
public sealed class FsrsGoldenTests
{
    private const string GoldenFile = "eval/fsrs6.golden.json";
    private const double Tolerance = 1e-4;

    /// <summary>One row per variant and case; with the file missing, one row that skips (or fails in CI) naming it.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var path = Path.Combine(SharedFolder.Root, GoldenFile);
        if (!File.Exists(path))
        {
            data.Add("", "");
            return data;
        }
        using var golden = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var variant in golden.RootElement.GetProperty("variants").EnumerateObject())
            foreach (var schedule in variant.Value.GetProperty("cases").EnumerateObject())
                data.Add(variant.Name, schedule.Name);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Each_review_matches_the_reference_schedule(string variantName, string caseName)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(SharedFolder.Require(GoldenFile)));
        var root = golden.RootElement;
        var variant = root.GetProperty("variants").GetProperty(variantName);
        var fsrs = new Fsrs(new FsrsParameters
        {
            Weights = Numbers(root.GetProperty("parameters")),
            DesiredRetention = root.GetProperty("desired_retention").GetDouble(),
            MaximumIntervalDays = root.GetProperty("maximum_interval").GetInt32(),
            LearningSteps = Numbers(variant.GetProperty("learning_steps_minutes")).Select(TimeSpan.FromMinutes).ToList(),
            RelearningSteps = Numbers(variant.GetProperty("relearning_steps_minutes")).Select(TimeSpan.FromMinutes).ToList(),
        });
        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        CardState? card = null;
        var n = 0;
        foreach (var step in variant.GetProperty("cases").GetProperty(caseName).EnumerateArray())
        {
            n++;
            var at = start + At(step.GetProperty("at_days").GetDouble());
            var where = $"{variantName} / {caseName}, review {n}";
            var expectedR = step.GetProperty("retrievability_before");
            if (expectedR.ValueKind == JsonValueKind.Null) Assert.Null(card);
            else Near(expectedR.GetDouble(), fsrs.Retrievability(card!, at), where + ": retrievability before");

            card = fsrs.Review(card, Enum.Parse<Rating>(step.GetProperty("rating").GetString()!, ignoreCase: true), at);

            Assert.True(step.GetProperty("state").GetString() == card.Stage.ToString(), $"{where}: stage {card.Stage}, expected {step.GetProperty("state")}");
            Near(step.GetProperty("stability").GetDouble(), card.Stability, where + ": stability");
            Near(step.GetProperty("difficulty").GetDouble(), card.Difficulty, where + ": difficulty");
            // The file gives intervals in days to six decimals: whole days after graduation, minutes in the steps.
            Assert.True(step.GetProperty("interval_days").GetDouble() == Math.Round(card.Interval.TotalDays, 6),
                $"{where}: interval {card.Interval.TotalDays} days, expected {step.GetProperty("interval_days")}");
        }
        Assert.True(n > 0, $"{variantName} / {caseName} has no reviews");
    }

    [SkippableFact]
    public void The_published_default_weights_are_the_references()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(SharedFolder.Require(GoldenFile)));
        Assert.Equal(Numbers(golden.RootElement.GetProperty("parameters")), FsrsParameters.DefaultWeights);
        Assert.Equal(golden.RootElement.GetProperty("desired_retention").GetDouble(), FsrsParameters.Default.DesiredRetention);
        Assert.Equal(golden.RootElement.GetProperty("maximum_interval").GetInt32(), FsrsParameters.Default.MaximumIntervalDays);
    }

    /// <summary>The file rounds times to six decimals of a day (about a tenth of a second); the reviews were whole seconds apart.</summary>
    private static TimeSpan At(double days) => TimeSpan.FromSeconds(Math.Round(days * 86_400));

    private static double[] Numbers(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected), $"{what}: {actual}, expected {expected} (relative tolerance {Tolerance})");
}
