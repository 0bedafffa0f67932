using System.Diagnostics;

namespace MlTutor.Cli.Tests;

/// <summary>
/// Nothing of the user's is touched and nothing outside the notes is read: the index writes only in a folder of its own,
/// every command that takes a note path reads only notes, and FIFOs, devices and unprintable names among the notes are
/// skipped with a warning, never opened.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // mkfifo, /dev/zero, /proc
public sealed class UserFilesTests
{
    private const string DropoutNote = CliRunner.DropoutNote;

    private static string NewCorpus()
    {
        var corpus = CliRunner.NewTempDir("mltutor-corpus");
        File.WriteAllText(Path.Combine(corpus, "good.md"), DropoutNote);
        return corpus;
    }

    /// <summary>A folder of the user's that happens to be named like a generation, with a file in it.</summary>
    private static string UsersFolder(string parent, string name)
    {
        var folder = Path.Combine(parent, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.md"), "# Mine\n\nA file of the user's.\n");
        return folder;
    }

    [Fact]
    public void An_empty_index_option_means_the_default_folder_and_the_current_folder_is_left_alone()
    {
        var corpus = NewCorpus();
        var here = CliRunner.NewTempDir("mltutor-cwd");
        var photos = UsersFolder(here, "g-photos-2024");

        var result = CliRunner.Run(["index", "--corpus", corpus, "--index", ""], workingDirectory: here);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(photos, "keep.md")));
        Assert.Equal(["g-photos-2024"], Directory.EnumerateFileSystemEntries(here).Select(Path.GetFileName));
        Assert.Contains(CliRunner.DataHome, result.Stderr); // built in the default folder under the data directory
    }

    [Fact]
    public void A_folder_that_is_not_an_index_and_not_empty_is_refused_and_kept_as_it_was()
    {
        var corpus = NewCorpus();
        var folder = CliRunner.NewTempDir("mltutor-users");
        var photos = UsersFolder(folder, "g-photos-2024");

        foreach (var command in new[] { "index", "ask", "search" })
        {
            string[] args = command == "index" ? ["index", "--corpus", corpus, "--index", folder] : [command, "--corpus", corpus, "--index", folder, "What does dropout do?"];
            var line = UserErrors.AssertOneLine(CliRunner.Run(args));
            Assert.Contains($"{folder} is not an MlTutor index folder and is not empty", line);
        }
        Assert.Equal(["g-photos-2024"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(photos, "keep.md")));
    }

    [Fact]
    public void The_notes_folder_or_a_folder_inside_it_is_refused_as_an_index_and_its_notes_survive()
    {
        var corpus = NewCorpus();
        var lectures = UsersFolder(corpus, "g-lectures");
        var before = CliRunner.Listing(corpus);

        foreach (var index in new[] { corpus, Path.Combine(corpus, "index"), corpus + "/." })
        {
            var line = UserErrors.AssertOneLine(CliRunner.Run("index", "--corpus", corpus, "--index", index));
            Assert.Contains("outside the notes", line);
            UserErrors.AssertOneLine(CliRunner.Run("ask", "--corpus", corpus, "--index", index, "What does dropout do?"));
        }
        // A link to the notes folder is the notes folder too.
        var link = Path.Combine(CliRunner.NewTempDir(), "notes-link");
        Directory.CreateSymbolicLink(link, corpus);
        UserErrors.AssertOneLine(CliRunner.Run("index", "--corpus", corpus, "--index", Path.Combine(link, "index")));

        Assert.Equal(before, CliRunner.Listing(corpus));
        Assert.True(File.Exists(Path.Combine(lectures, "keep.md")));
    }

    [Fact]
    public void A_users_folder_put_into_an_index_folder_survives_every_rebuild()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfDropoutNote();
        // Named like ours, even to the exact pattern of a generation's name: holding files but neither our marker nor our
        // manifest, it is not ours (only an empty folder so named is taken for one a killed build left).
        var users = new[] { UsersFolder(index, "g-2024-backup"), UsersFolder(index, "g-20240101000000000-1") };

        File.AppendAllText(Path.Combine(corpus, "good.md"), "\n## Momentum\n\nMomentum keeps a running velocity of past gradients.\n");
        Assert.Equal(0, CliRunner.Run("index", "--corpus", corpus, "--index", index).ExitCode);
        Assert.Equal(0, CliRunner.Run("index", "--rebuild", "--corpus", corpus, "--index", index).ExitCode);
        Assert.Equal(0, CliRunner.Run("ask", "--corpus", corpus, "--index", index, "What does momentum keep?").ExitCode);

        foreach (var folder in users) Assert.True(File.Exists(Path.Combine(folder, "keep.md")), folder);
        // Our own generations are still cleaned up: only the current one is left.
        var ours = Directory.EnumerateDirectories(index, "g-*").Select(Path.GetFileName).Except(users.Select(Path.GetFileName)).ToList();
        Assert.Equal([File.ReadAllText(Path.Combine(index, "CURRENT")).Trim()], ours);
    }

    [Fact]
    public void An_index_built_before_the_marker_existed_is_still_recognised_and_updated()
    {
        var (corpus, index) = CliRunner.IndexedCopyOfDropoutNote();
        File.Delete(Path.Combine(index, "mltutor-index"));

        File.AppendAllText(Path.Combine(corpus, "good.md"), "\n## Momentum\n\nMomentum keeps a running velocity of past gradients.\n");
        var result = CliRunner.Run("index", "--corpus", corpus, "--index", index);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1 changed", result.Stderr);
        Assert.True(File.Exists(Path.Combine(index, "mltutor-index")));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../../../../../etc/passwd")]
    public void Chunks_shows_no_file_outside_the_notes(string path)
    {
        var corpus = NewCorpus();
        foreach (var args in new[] { new[] { "chunks", "--corpus", corpus, path }, ["chunks", "--json", "--corpus", corpus, path] })
        {
            var result = CliRunner.Run(args);
            Assert.Contains("outside the corpus folder", UserErrors.AssertOneLine(result));
            Assert.DoesNotContain("root:", result.Stdout);
        }
    }

    [Fact]
    public void Chunks_and_cite_refuse_what_the_index_does_not_read()
    {
        var corpus = NewCorpus();
        File.WriteAllText(Path.Combine(corpus, "train.py"), "print('dropout')\n");
        Directory.CreateDirectory(Path.Combine(corpus, ".obsidian"));
        File.WriteAllText(Path.Combine(corpus, ".obsidian", "cache.md"), "# Cache\n\ncache\n");
        foreach (var (path, reason) in new[] { ("train.py", "is not a note"), (".obsidian/cache.md", "hidden"), ("missing.md", "is not in the corpus folder") })
        {
            Assert.Contains(reason, UserErrors.AssertOneLine(CliRunner.Run("chunks", "--corpus", corpus, path)));
            Assert.Contains(reason, UserErrors.AssertOneLine(CliRunner.Run("cite", "--corpus", corpus, "--index", CliRunner.NewTempDir(), path + ":1")));
        }
        var good = CliRunner.Run("chunks", "--json", "--corpus", corpus, "good.md");
        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Equal("good.md", Assert.Single(good.JsonLines()).GetProperty("file").GetString());
    }

    [Fact]
    public void Notes_linked_into_the_notes_folder_are_indexed_and_cite_and_chunks_read_them_alike()
    {
        var corpus = NewCorpus();
        var elsewhere = CliRunner.NewTempDir("mltutor-linked");
        File.WriteAllText(Path.Combine(elsewhere, "adam.md"), "# Adam\n\nAdam adds bias-corrected moment estimates to RMSprop.\n");
        var single = Path.Combine(CliRunner.NewTempDir("mltutor-linked"), "adamw.md");
        File.WriteAllText(single, "# AdamW\n\nAdamW decouples weight decay from the bias-corrected moment estimates.\n");
        Directory.CreateSymbolicLink(Path.Combine(corpus, "linked"), elsewhere);
        File.CreateSymbolicLink(Path.Combine(corpus, "adam-link.md"), single);
        var index = CliRunner.NewTempDir();

        var search = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, "bias-corrected moment estimates");
        Assert.True(search.ExitCode == 0, search.ToString());
        var files = search.Json().GetProperty("results").EnumerateArray().Select(r => r.GetProperty("file").GetString()).ToList();
        Assert.Contains("linked/adam.md", files);
        Assert.Contains("adam-link.md", files);
        foreach (var file in new[] { "linked/adam.md", "adam-link.md" })
        {
            var cite = CliRunner.Run("cite", "--json", "--corpus", corpus, "--index", index, file + ":3");
            Assert.True(cite.ExitCode == 0, cite.ToString());
            Assert.Contains("bias-corrected", cite.Json().GetProperty("lines")[0].GetString());
            Assert.Equal(0, CliRunner.Run("chunks", "--corpus", corpus, file).ExitCode);
        }
    }

    [Fact]
    public void A_fifo_and_a_link_to_dev_zero_among_the_notes_are_skipped_with_a_warning_and_the_rest_indexed()
    {
        var corpus = NewCorpus();
        MakeFifo(Path.Combine(corpus, "pipe.md"));
        File.CreateSymbolicLink(Path.Combine(corpus, "zero.md"), "/dev/zero");
        var index = CliRunner.NewTempDir();

        var build = CliRunner.Run(["index", "--json", "--corpus", corpus, "--index", index], timeoutSeconds: 60);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning: pipe.md: is a FIFO (named pipe), not a regular file", build.Stderr);
        Assert.Contains("warning: zero.md: is a character device, not a regular file", build.Stderr);
        Assert.Equal(1, build.Json().GetProperty("files").GetInt32());

        var ask = CliRunner.Run(["ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?"], timeoutSeconds: 60);
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains(ask.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "good.md");
        foreach (var note in new[] { "pipe.md", "zero.md" })
        {
            Assert.Contains("not a regular file", UserErrors.AssertOneLine(CliRunner.Run(["cite", "--corpus", corpus, "--index", index, note + ":1"], timeoutSeconds: 60)));
            UserErrors.AssertOneLine(CliRunner.Run(["chunks", "--corpus", corpus, note], timeoutSeconds: 60));
        }
    }

    [Fact]
    public void A_file_whose_size_lies_is_not_read_past_the_size_limit()
    {
        // Files in /proc say they are empty and then produce text: the limit must hold for what is read.
        var corpus = NewCorpus();
        File.CreateSymbolicLink(Path.Combine(corpus, "cpuinfo.md"), "/proc/cpuinfo");
        var limit = new Dictionary<string, string> { ["MLTUTOR__Corpus__MaxFileBytes"] = "200" };

        var build = CliRunner.Run(["index", "--json", "--corpus", corpus, "--index", CliRunner.NewTempDir()], limit, timeoutSeconds: 60);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning: cpuinfo.md: file holds more than the 200-byte limit for a note; skipped", build.Stderr);
        Assert.Equal(1, build.Json().GetProperty("files").GetInt32());
    }

    [Fact]
    public void A_note_named_with_a_line_break_is_warned_about_on_one_line_and_every_printed_citation_is_one_cite_accepts()
    {
        var corpus = NewCorpus();
        File.WriteAllText(Path.Combine(corpus, "new\nline.md"), "# Momentum\n\nMomentum keeps a running velocity of past gradients.\n");
        var index = CliRunner.NewTempDir();

        var build = CliRunner.Run("index", "--corpus", corpus, "--index", index);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning: new\\nline.md: name holds a line break", build.Stderr);

        var search = CliRunner.Run("search", "--json", "--corpus", corpus, "--index", index, "--k", "10", "momentum velocity dropout");
        Assert.True(search.ExitCode == 0, search.ToString());
        foreach (var r in search.Json().GetProperty("results").EnumerateArray())
        {
            var citation = $"{r.GetProperty("file").GetString()}:{r.GetProperty("startLine").GetInt32()}-{r.GetProperty("endLine").GetInt32()}";
            var cite = CliRunner.Run("cite", "--corpus", corpus, "--index", index, citation);
            Assert.True(cite.ExitCode == 0, $"{citation}: {cite}");
        }
        Assert.Contains("line break", UserErrors.AssertOneLine(CliRunner.Run("cite", "--corpus", corpus, "--index", index, "new\nline.md:3")));
    }


    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
