using System.Security.Cryptography;
using System.Text;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>Reading a notes folder on disk, including everything that can be wrong with it.</summary>
public sealed class CorpusReaderTests
{
    [Fact]
    public void ReadsNotesRecursivelySortedWithSlashPathsAndHashes()
    {
        var dir = TestPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(dir, "b", "deep"));
        File.WriteAllText(Path.Combine(dir, "b", "deep", "z.markdown"), "# Z\n");
        File.WriteAllText(Path.Combine(dir, "a.md"), "# A\n");
        File.WriteAllText(Path.Combine(dir, "B.TXT"), "Upper case extension\n");
        File.WriteAllText(Path.Combine(dir, "image.png"), "not a note");
        File.WriteAllText(Path.Combine(dir, "notes.md.bak"), "not a note");
        var bom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("# Bom\n")).ToArray();
        File.WriteAllBytes(Path.Combine(dir, "b", "bom.md"), bom);

        var warnings = new List<IngestionWarning>();
        var notes = new CorpusReader().ReadAll(dir, warnings);

        Assert.Empty(warnings);
        Assert.Equal(["B.TXT", "a.md", "b/bom.md", "b/deep/z.markdown"], notes.Select(n => n.RelativePath));
        var bomNote = notes.Single(n => n.RelativePath == "b/bom.md");
        Assert.Equal("# Bom\n", bomNote.Text);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bom)), bomNote.ContentHash);

        var listed = new CorpusReader().List(dir, warnings);
        Assert.Equal(notes.Select(n => n.RelativePath), listed.Select(l => l.RelativePath));
        Assert.Equal(bom.Length, listed.Single(l => l.RelativePath == "b/bom.md").Length);
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(dir, "a.md")), listed.Single(l => l.RelativePath == "a.md").LastWriteUtc);
    }

    [Fact]
    public void BadFilesAreSkippedOrRepairedWithAWarningNamingEachAndTheRestIsRead()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "good.md"), "# Good\n\nFine notes.\n");
        File.WriteAllBytes(Path.Combine(dir, "binary.md"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02]);
        File.WriteAllBytes(Path.Combine(dir, "latin1.txt"), Encoding.Latin1.GetBytes("Caf\u00e9 na\u00efve\nline two\n"));
        File.WriteAllBytes(Path.Combine(dir, "empty.md"), []);
        File.WriteAllText(Path.Combine(dir, "blank.md"), "  \n\t\n\n");
        File.WriteAllText(Path.Combine(dir, "big.md"), new string('x', 5000));
        File.WriteAllText(Path.Combine(dir, "utf16.md"), "# Wide\n\nUTF-16 notes.\n", Encoding.Unicode);

        var warnings = new List<IngestionWarning>();
        var notes = new CorpusReader(maxFileBytes: 1000).ReadAll(dir, warnings);

        Assert.Equal(["good.md", "latin1.txt", "utf16.md"], notes.Select(n => n.RelativePath));
        Assert.Equal("Café naïve\nline two\n", notes.Single(n => n.RelativePath == "latin1.txt").Text);
        Assert.Equal("# Wide\n\nUTF-16 notes.\n", notes.Single(n => n.RelativePath == "utf16.md").Text);
        Assert.Contains(warnings, w => w.File == "binary.md" && w.Message.Contains("binary"));
        Assert.Contains(warnings, w => w.File == "latin1.txt" && w.Message.Contains("Latin-1") && w.Line == 1);
        Assert.Contains(warnings, w => w.File == "empty.md" && w.Message.Contains("empty"));
        Assert.Contains(warnings, w => w.File == "blank.md" && w.Message.Contains("empty"));
        Assert.Contains(warnings, w => w.File == "big.md" && w.Message.Contains("limit"));
        Assert.Equal(5, warnings.Count);
        Assert.All(warnings, w => Assert.StartsWith(w.File, w.ToString()));
    }

    [Fact]
    public void NotesInHiddenFoldersAndHiddenFilesAreNotRead()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "seen.md"), "# Seen\n\nGradient boosting.\n");
        foreach (var hidden in new[] { ".git", ".obsidian", Path.Combine("topic", ".trash") })
        {
            Directory.CreateDirectory(Path.Combine(dir, hidden));
            File.WriteAllText(Path.Combine(dir, hidden, "plugin.md"), "# Plugin\n\nConfiguration, not a note.\n");
        }
        File.WriteAllText(Path.Combine(dir, "topic", "kept.md"), "# Kept\n\nBagging.\n");
        // What a copy from macOS leaves beside each note: a binary "._" file that would only be warned about.
        File.WriteAllBytes(Path.Combine(dir, "topic", "._kept.md"), [0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00]);

        var warnings = new List<IngestionWarning>();
        var notes = new CorpusReader().ReadAll(dir, warnings);

        Assert.Equal(["seen.md", "topic/kept.md"], notes.Select(n => n.RelativePath));
        Assert.Equal(["seen.md", "topic/kept.md"], new CorpusReader().List(dir, warnings).Select(n => n.RelativePath));
        Assert.Empty(warnings);
    }

    [Fact]
    public void AWarningAboutABadByteCountsEveryKindOfLineEnding()
    {
        var dir = TestPaths.NewTempDir();
        // Lines end in CR, CRLF and LF; the byte that is not UTF-8 stands on line 4.
        var bytes = Encoding.ASCII.GetBytes("# Mixed\r\r\nFirst line.\nCaf").Concat(new byte[] { 0xE9 }).Concat(Encoding.ASCII.GetBytes("\n")).ToArray();
        File.WriteAllBytes(Path.Combine(dir, "mixed.md"), bytes);

        var warnings = new List<IngestionWarning>();
        new CorpusReader().ReadAll(dir, warnings);

        Assert.Equal(4, Assert.Single(warnings).Line);
    }

    [Fact]
    public void AMissingCorpusFolderSaysWhichAndHowToFixIt()
    {
        var missing = Path.Combine(TestPaths.NewTempDir(), "no-such-notes");
        var e = Assert.Throws<CorpusNotFoundException>(() => new CorpusReader().ReadAll(missing, new List<IngestionWarning>()));
        Assert.Contains(missing, e.Message);
        Assert.Equal(Remedy.ChooseNotesFolder, e.Remedy);
        Assert.DoesNotContain("--corpus", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<CorpusNotFoundException>(() => new CorpusReader().List(missing, new List<IngestionWarning>()));
    }

    [Fact]
    public void AFolderLinkLoopIsNotFollowedAndEverythingElseIsRead()
    {
        var dir = TestPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllText(Path.Combine(dir, "top.md"), "# Top\n");
        File.WriteAllText(Path.Combine(dir, "sub", "inner.md"), "# Inner\n");
        Directory.CreateSymbolicLink(Path.Combine(dir, "sub", "loop"), dir);
        Directory.CreateSymbolicLink(Path.Combine(dir, "self"), Path.Combine(dir, "self")); // points at itself
        var elsewhere = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(elsewhere, "linked.md"), "# Linked\n");
        Directory.CreateSymbolicLink(Path.Combine(dir, "linked"), elsewhere);

        var warnings = new List<IngestionWarning>();
        var notes = new CorpusReader().ReadAll(dir, warnings);

        // A link to a folder outside the corpus is followed once; a loop back into the corpus is not.
        Assert.Equal(["linked/linked.md", "sub/inner.md", "top.md"], notes.Select(n => n.RelativePath));
        Assert.Contains(warnings, w => w.File == "sub/loop" && w.Message.Contains("loop"));
        // The self-referencing link cannot be resolved to a folder: it is passed over (it is no note either).
        Assert.DoesNotContain(notes, n => n.RelativePath.StartsWith("self"));
    }

    [Fact]
    public void ReadFileReportsAFileThatVanished()
    {
        var dir = TestPaths.NewTempDir();
        var warnings = new List<IngestionWarning>();
        Assert.Null(new CorpusReader().ReadFile(dir, "gone.md", warnings));
        Assert.Contains(warnings, w => w.File == "gone.md");
    }
}
