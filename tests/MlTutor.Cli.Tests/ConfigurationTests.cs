namespace MlTutor.Cli.Tests;

/// <summary>A configuration value that cannot be read or cannot work stops every command with one line naming it.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Corpus__Watch", "inotify", "notify or poll")]
    [InlineData("Corpus__PollSeconds", "0", "from 0.1 to 3600 seconds")]
    [InlineData("Answering__TimeoutSeconds", "0", "from 1 to 86400")]
    [InlineData("Answering__TimeoutSeconds", "abc", "not a whole number")]
    [InlineData("Retrieval__Fusion__DenseWeight", "7", "from 0 to 1")]
    [InlineData("Retrieval__Fusion__Diversify", "maybe", "true or false")]
    [InlineData("Retrieval__K", "0", "at least 1")]
    [InlineData("Retrieval__Fusion__Method", "99", "ReciprocalRank, ConvexMinMax or ConvexZScore")]
    [InlineData("Retrieval__Coverage__Rule", "AnyBelow,AllBelow", "AnyBelow or AllBelow")]
    [InlineData("Retrieval__Join__MaxChunks", "0", "at least 1")]
    [InlineData("Retrieval__Join__Depth", "-1", "0 or more")]
    [InlineData("Review__DesiredRetention", "1.5", "from 0.7 to 0.99")]
    [InlineData("Review__Weights__20", "0.95", "from 0.1 to 0.8")]
    [InlineData("Review__Weights__3", "abc", "a number such as 0.5")]
    [InlineData("Review__LearningStepsMinutes__0", "0", "more than 0")]
    [InlineData("Grading__Pass", "0.1", "from Grading:Partial (0.41) to 1")]
    [InlineData("Grading__FullSimilarity", "0.2", "above Grading:NoSimilarity (0.3)")]
    [InlineData("Grading__Passages", "0", "at least 1")]
    public void A_bad_setting_is_one_line_naming_the_variable_the_value_and_what_is_allowed(string key, string value, string allowed)
    {
        var variable = "MLTUTOR__" + key;
        // An offline ask never uses the answering timeout, yet a value that cannot be read is still refused up front.
        var result = CliRunner.Run(["ask", "--index", CliRunner.NewTempDir(), "What is dropout?"], new Dictionary<string, string> { [variable] = value });
        var line = UserErrors.AssertOneLine(result);
        Assert.Contains(key.Replace("__", ":"), line);
        Assert.Contains(variable, line);
        Assert.Contains($"'{value}'", line);
        Assert.Contains(allowed, line);
    }

    [Fact]
    public void An_empty_optional_threshold_switches_the_signal_off_and_is_not_an_error()
    {
        var result = CliRunner.Run(["search", "--json", "--index", CliRunner.SampleIndex, "What is dropout?"],
            new Dictionary<string, string> { ["MLTUTOR__Retrieval__Coverage__MinTopDense"] = "" });
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
