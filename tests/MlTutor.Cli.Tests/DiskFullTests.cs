using System.Diagnostics;
using MlTutor.Tests;

namespace MlTutor.Cli.Tests;

/// <summary>
/// A full disk loses nothing: the index is written on a small tmpfs for real, the disk is filled, and each command says
/// in one line what happened and what to do, keeps the last index, and questions are still answered from it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // mount, fallocate
public sealed class DiskFullTests
{
    private const string DropoutNote = CliRunner.DropoutNote;

    [SkippableTheory]
    [InlineData(0)]   // no room at all: refused before anything is embedded
    [InlineData(300)] // room for the estimate, not for every file: the write itself fails, at SQLite, FAISS or Lucene
    [InlineData(360)]
    [InlineData(420)]
    public void An_update_on_a_full_disk_keeps_the_index_and_questions_are_answered_from_it(int freeKilobytes)
    {
        using var disk = SmallDisk.Mount(megabytes: 4);
        var (corpus, index) = CliRunner.IndexedCopyOfSampleNotes(Path.Combine(disk.Path, "index"));
        var current = File.ReadAllText(Path.Combine(index, "CURRENT"));
        var kept = CliRunner.Listing(index);

        disk.Fill(leaveKilobytes: freeKilobytes);
        File.AppendAllText(Path.Combine(corpus, "optimizers.md"), "\n## Lion\n\nLion keeps only the momentum and takes the sign of the update.\n");
        var line = ErrorAfterProgress(CliRunner.Run("index", "--corpus", corpus, "--index", index));
        Assert.Contains($"cannot write the new index in {index}", line);
        Assert.Contains("the index there was kept", line);
        Assert.Contains("free some space", line);
        Assert.Equal(current, File.ReadAllText(Path.Combine(index, "CURRENT")));
        Assert.Equal(kept, CliRunner.Listing(index)); // no half-written generation left behind

        var ask = CliRunner.Run("ask", "--json", "--corpus", corpus, "--index", index, "What does Adam add to RMSprop?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains(ask.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "optimizers.md");
        var warning = Assert.Single(ask.Stderr.Trim().Split('\n').Where(l => l.StartsWith("warning:")));
        Assert.Contains("answering from the kept index", warning);
        Assert.Equal(kept, CliRunner.Listing(index));
    }

    [SkippableFact]
    public void A_first_build_on_a_disk_too_small_is_one_line_and_leaves_no_generation()
    {
        var corpus = SharedFolder.Require("corpus");
        using var disk = SmallDisk.Mount(megabytes: 1);
        var index = Path.Combine(disk.Path, "index");
        var line = UserErrors.AssertOneLine(CliRunner.Run("index", "--corpus", corpus, "--index", index));
        Assert.Contains($"cannot write the new index in {index}", line);
        Assert.DoesNotContain("kept", line);
        Assert.Empty(Directory.EnumerateDirectories(index));
    }

    /// <summary>The one error line of a failed run that may have printed its progress (embedding) before it failed.</summary>
    private static string ErrorAfterProgress(CliResult result)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Stderr.Trim().Split('\n');
        Assert.All(lines[..^1], l => Assert.StartsWith("embedding: ", l));
        Assert.StartsWith("mltutor: ", lines[^1]);
        Assert.DoesNotContain("unexpected error", lines[^1]);
        return lines[^1];
    }


    /// <summary>A tmpfs of a few megabytes mounted for the test (root only), unmounted when disposed.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk Mount(int megabytes)
        {
            Skip.IfNot(Environment.IsPrivilegedProcess, "mounting a small tmpfs needs root");
            var path = CliRunner.NewTempDir("mltutor-disk");
            var (code, stderr) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
            Assert.True(code == 0, $"mount of a tmpfs on {path} failed: {stderr}");
            return new SmallDisk(path);
        }

        /// <summary>Takes all the free space but <paramref name="leaveKilobytes"/> with one file outside the index.</summary>
        public void Fill(int leaveKilobytes)
        {
            var free = new DriveInfo(Path).AvailableFreeSpace;
            var (code, stderr) = Run("fallocate", "-l", Math.Max(4096, free - leaveKilobytes * 1024L).ToString(), System.IO.Path.Combine(Path, "filler"));
            Assert.True(code == 0, stderr);
        }

        public void Dispose() => Run("umount", "--lazy", Path);

        private static (int, string) Run(string program, params string[] args)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stderr);
        }
    }
}
