namespace MlTutor.Cli.Tests;

/// <summary><c>bench</c> on the sample notes: every figure printed, the cold ones from new mltutor processes.</summary>
public sealed class BenchTests
{
    [Fact]
    public void Bench_times_questions_asked_and_searched_and_the_index_checked_and_built_by_new_processes_beside_the_warm_figures()
    {
        // A copy of its own: the indexes built from nothing go beside it, and must be gone afterwards.
        var index = CliRunner.CopyOfSampleIndex();
        // The new processes ask the given questions (one pasted from a list, dash and all).
        var questions = Path.Combine(CliRunner.NewTempDir(), "questions.jsonl");
        File.WriteAllText(questions, "{\"question\": \"- what does dropout zero during training?\"}\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = CliRunner.Run("bench", "--json", "--questions", questions, "--cold", "1", "--full-index", "2", "--index", index);
        var whole = clock.Elapsed.TotalSeconds;

        Assert.True(result.ExitCode == 0, result.ToString());
        var figures = result.Json();
        Assert.True(figures.GetProperty("pipelinePiecesPerSecond").GetDouble() > 0, result.ToString());
        Assert.Equal(1, figures.GetProperty("coldRuns").GetInt32());
        // The warm figures are those of a chat or the web page, whose sessions pack the model's weights.
        Assert.True(figures.GetProperty("queryWeightsPacked").GetBoolean(), result.ToString());
        // A new process loads the runtime, the model and the index: it cannot answer in a few milliseconds, and each
        // second-scale figure is bounded by the whole command's own run.
        foreach (var name in new[] { "coldAskMedianSeconds", "coldAskMaxSeconds", "coldSearchMedianSeconds", "coldSearchMaxSeconds",
                     "coldIndexUnchangedMedianSeconds", "coldIndexUnchangedMaxSeconds", "coldFullIndexMedianSeconds", "coldFullIndexMaxSeconds" })
            Assert.InRange(figures.GetProperty(name).GetDouble(), 0.05, whole);
        // One run: its time is both the median and the largest.
        Assert.Equal(figures.GetProperty("coldAskMedianSeconds").GetDouble(), figures.GetProperty("coldAskMaxSeconds").GetDouble());
        // The model alone is about 90 MB: a peak below it was not read from the asking process.
        Assert.InRange(figures.GetProperty("coldAskPeakRssMb").GetDouble(), 90, figures.GetProperty("peakRssMb").GetDouble() + 500);
        // Built from nothing, the notes are read, chunked and every chunk embedded: more than checking a current index.
        Assert.Equal(2, figures.GetProperty("coldFullIndexRuns").GetInt32());
        Assert.True(figures.GetProperty("coldFullIndexMedianSeconds").GetDouble() > figures.GetProperty("coldIndexUnchangedMedianSeconds").GetDouble(), result.ToString());
        Assert.True(figures.GetProperty("coldFullIndexMedianSeconds").GetDouble() <= figures.GetProperty("coldFullIndexMaxSeconds").GetDouble(), result.ToString());
        Assert.InRange(figures.GetProperty("coldFullIndexPeakRssMb").GetDouble(), 90, figures.GetProperty("peakRssMb").GetDouble() + 500);
        Assert.Contains("cold index from nothing", result.Stderr);
        // Each of those indexes was built beside the index in use and removed once timed.
        var indexName = Path.GetFileName(Path.TrimEndingDirectorySeparator(index));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(index))!, indexName + ".bench-*"));
    }

    [Fact]
    public void Weights_packing_set_in_the_configuration_overrides_what_the_command_would_choose()
    {
        var result = CliRunner.Run(["bench", "--json", "--cold", "0", "--queries", "3", "--index", CliRunner.CopyOfSampleIndex()],
            new Dictionary<string, string> { ["MLTUTOR__Model__PackWeights"] = "false" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(result.Json().GetProperty("queryWeightsPacked").GetBoolean(), result.ToString());
        Assert.DoesNotContain("packed weights", result.Stderr);
    }
}
