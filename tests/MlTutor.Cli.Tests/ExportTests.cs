namespace MlTutor.Cli.Tests;

public class ExportTests
{
    [Fact]
    public void Export_anki_writes_each_flashcard_as_front_back_and_topic_tag()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes();
        File.WriteAllText(Path.Combine(corpus, "cards.md"), "# Tricky\n\nQ: Is <b>x</b> & y\tescaped?\n\nA: Yes, <i>always</i>.\n");
        var file = Path.Combine(CliRunner.NewTempDir(), "cards.txt");

        var result = CliRunner.Run("export", "anki", file, "--corpus", corpus, "--index", index);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(file);
        Assert.Equal(["#separator:tab", "#html:true", "#tags column:3"], lines[..3]);
        var cards = lines[3..].Select(l => l.Split('\t')).ToList();
        Assert.All(cards, c => Assert.Equal(3, c.Length));
        var roc = Assert.Single(cards, c => c[0] == "What does a ROC curve plot?");
        Assert.StartsWith("The true positive rate against the false positive rate", roc[1]);
        Assert.Contains("flashcards.md:", roc[1]);
        Assert.Equal("mltutor Interview_flashcards", roc[2]);
        // A note is text, never markup: its angle brackets and ampersands arrive escaped.
        var tricky = Assert.Single(cards, c => c[0].Contains("escaped?"));
        Assert.Equal("Is &lt;b&gt;x&lt;/b&gt; &amp; y escaped?", tricky[0]);
        Assert.StartsWith("A: Yes, &lt;i&gt;always&lt;/i&gt;.", tricky[1]);
        Assert.Contains($"wrote {cards.Count} cards to {file}", result.Stderr);
    }
}
