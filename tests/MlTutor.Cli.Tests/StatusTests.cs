namespace MlTutor.Cli.Tests;

/// <summary><c>status</c> says what is indexed and when, what changed since and each note's state, and changes nothing.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // mkfifo
public sealed class StatusTests
{
    [Fact]
    public void Status_shows_each_notes_state_and_changes_nothing()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "dropout.md"), "# Dropout\n\nDropout zeroes random activations during training.\n");
        File.WriteAllText(Path.Combine(corpus, "adam.md"), "# Adam\n\nAdam adds bias-corrected moment estimates.\n");
        File.WriteAllText(Path.Combine(corpus, "gone.md"), "# Gone\n\nA note that will be deleted.\n");
        var index = CliRunner.NewTempDir();

        var empty = CliRunner.Run("status", "--json", "--corpus", corpus, "--index", index);
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.False(empty.Json().GetProperty("upToDate").GetBoolean());
        Assert.Equal(JsonValueKindNull, empty.Json().GetProperty("generation").ValueKind);
        Assert.All(empty.Json().GetProperty("notes").EnumerateArray(), n => Assert.Equal("new", n.GetProperty("state").GetString()));

        Assert.Equal(0, CliRunner.Run("index", "--corpus", corpus, "--index", index).ExitCode);
        var built = CliRunner.Run("status", "--json", "--corpus", corpus, "--index", index).Json();
        Assert.True(built.GetProperty("upToDate").GetBoolean());
        Assert.True(built.GetProperty("bytesOnDisk").GetInt64() > 0);
        var current = File.ReadAllText(Path.Combine(index, "CURRENT"));

        File.AppendAllText(Path.Combine(corpus, "dropout.md"), "\nIt is turned off at test time.\n");
        File.WriteAllText(Path.Combine(corpus, "lion.md"), "# Lion\n\nLion takes the sign of the update.\n");
        File.Delete(Path.Combine(corpus, "gone.md"));
        File.WriteAllBytes(Path.Combine(corpus, "binary.md"), [0x89, 0x50, 0x00, 0x01]);
        var result = CliRunner.Run("status", "--json", "--corpus", corpus, "--index", index);

        Assert.True(result.ExitCode == 0, result.ToString());
        var status = result.Json();
        Assert.False(status.GetProperty("upToDate").GetBoolean());
        var states = status.GetProperty("notes").EnumerateArray().ToDictionary(n => n.GetProperty("file").GetString()!, n => n.GetProperty("state").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["adam.md"] = "indexed", ["binary.md"] = "skipped", ["dropout.md"] = "edited", ["gone.md"] = "removed", ["lion.md"] = "new",
        }, states);
        Assert.Contains("binary", status.GetProperty("notes").EnumerateArray().Single(n => n.GetProperty("file").GetString() == "binary.md").GetProperty("reason").GetString());
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT"))); // nothing was built

        var text = CliRunner.Run("status", "--corpus", corpus, "--index", index);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("not indexed yet", text.Stdout);
        Assert.Contains("deleted since", text.Stdout);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
