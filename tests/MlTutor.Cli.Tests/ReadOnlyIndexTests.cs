using System.Diagnostics;

namespace MlTutor.Cli.Tests;

/// <summary>
/// An index folder that cannot be written, such as a shared, read-only copy of a built index, still answers questions:
/// silently while it matches the notes, with a warning that says how to update it once they changed. Building or
/// updating there is one clear error naming the folder. The folder is made read-only for real, by its permissions or
/// by a read-only mount, and each test first shows that the program really cannot create a file in it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // setpriv, unshare and Unix permissions
public sealed class ReadOnlyIndexTests
{
    public enum ReadOnlyBy { Permissions, Mount }

    /// <summary>A corpus of one note (good.md) and its index, built while the folder can still be written.</summary>
    private static (string Corpus, string Index) IndexedDropoutNote() => CliRunner.IndexedCopyOfDropoutNote();

    [Theory]
    [InlineData(ReadOnlyBy.Permissions)]
    [InlineData(ReadOnlyBy.Mount)]
    public void A_read_only_index_answers_warns_once_the_notes_changed_and_refuses_to_be_updated(ReadOnlyBy by)
    {
        var (corpus, index) = IndexedDropoutNote();
        var built = CliRunner.Listing(index);
        using var readOnly = ReadOnlyFolder.Make(index, by);
        CliResult Run(params string[] args) => CliRunner.Run(args, launcher: readOnly.Launcher);

        // Up to date: answered as from any index, with nothing to say about it.
        var search = Run("search", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Contains(search.Json().GetProperty("results").EnumerateArray(), r => r.GetProperty("file").GetString() == "good.md");
        Assert.DoesNotContain("warning", search.Stderr);
        // Nothing to write: index says so, as anywhere.
        var upToDate = Run("index", "--corpus", corpus, "--index", index);
        Assert.True(upToDate.ExitCode == 0, upToDate.ToString());
        Assert.StartsWith("index up to date", upToDate.Stderr);

        // The notes change: still answered, from the index as it is, with a warning that says how to update it.
        File.AppendAllText(Path.Combine(corpus, "good.md"), "\n## Momentum\n\nMomentum keeps a running velocity of past gradients.\n");
        File.WriteAllText(Path.Combine(corpus, "adam.md"), "# Adam\n\nAdam adds bias-corrected moment estimates.\n");
        var ask = Run("ask", "--json", "--corpus", corpus, "--index", index, "What does dropout do?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains(ask.Json().GetProperty("citations").EnumerateArray(), c => c.GetProperty("file").GetString() == "good.md");
        var warning = Assert.Single(ask.Stderr.Trim().Split('\n'));
        Assert.StartsWith($"warning: the index in {index} is read-only and out of date", warning);
        Assert.Contains("1 edited, 1 added", warning);
        Assert.Contains("--index", warning);
        var stale = Run("search", "--json", "--corpus", corpus, "--index", index, "momentum velocity");
        Assert.True(stale.ExitCode == 0, stale.ToString());
        Assert.DoesNotContain(stale.Json().GetProperty("results").EnumerateArray(), r => r.GetProperty("text").GetString()!.Contains("Momentum"));
        var outOfDate = UserErrors.AssertOneLine(Run("index", "--corpus", corpus, "--index", index));
        Assert.Contains($"cannot write the index folder {index}", outOfDate);
        Assert.Contains("out of date", outOfDate);
        UserErrors.AssertOneLine(Run("index", "--rebuild", "--corpus", corpus, "--index", index));

        // A new index folder inside the read-only one cannot be made: nothing to answer from, and the error says so.
        var elsewhere = Path.Combine(index, "elsewhere");
        var none = UserErrors.AssertOneLine(Run("search", "--corpus", corpus, "--index", elsewhere, "What does dropout do?"));
        Assert.Contains($"cannot write the index folder {elsewhere}", none);
        Assert.Contains("holds no index", none);

        Assert.Equal(built, CliRunner.Listing(index)); // not a byte written: no lock file, no generation, no clean-up
    }

    [Theory]
    [InlineData(ReadOnlyBy.Permissions)]
    [InlineData(ReadOnlyBy.Mount)]
    public void A_truncated_keyword_file_in_a_read_only_index_is_reported_as_damage(ReadOnlyBy by)
    {
        var (corpus, index) = IndexedDropoutNote();
        var keyword = Directory.EnumerateDirectories(index, "g-*").Select(g => Path.Combine(g, "keyword")).Single();
        var largest = new DirectoryInfo(keyword).EnumerateFiles().MaxBy(f => f.Length)!;
        using (var stream = largest.Open(FileMode.Open)) stream.SetLength(stream.Length / 2);
        using var readOnly = ReadOnlyFolder.Make(index, by);

        var line = UserErrors.AssertOneLine(CliRunner.Run(["search", "--corpus", corpus, "--index", index, "What does dropout do?"], launcher: readOnly.Launcher));

        Assert.Contains("is damaged", line);
        Assert.Contains(largest.Name, line);
    }


    /// <summary>A folder made read-only for the program, and the command to run the program under; disposing undoes it.</summary>
    private sealed class ReadOnlyFolder : IDisposable
    {
        private readonly string _directory;
        private readonly ReadOnlyBy _by;

        private ReadOnlyFolder(string directory, ReadOnlyBy by, IReadOnlyList<string> launcher)
        {
            _directory = directory;
            _by = by;
            Launcher = launcher;
        }

        public IReadOnlyList<string> Launcher { get; }

        public static ReadOnlyFolder Make(string directory, ReadOnlyBy by)
        {
            IReadOnlyList<string> launcher;
            if (by == ReadOnlyBy.Permissions)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Append(directory))
                    File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
                // Root writes through any permission (CAP_DAC_OVERRIDE): the program then runs without that capability.
                launcher = Environment.IsPrivilegedProcess ? ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] : [];
            }
            else
            {
                // A read-only bind mount of the folder onto itself, in a mount namespace of the program's own: nothing
                // outside it sees the mount, and nothing is left to unmount. Without root, a user namespace allows it.
                string[] userNamespace = Environment.IsPrivilegedProcess ? [] : ["--map-root-user"];
                launcher = [
                    "unshare", .. userNamespace, "--mount", "--propagation", "private", "--",
                    "sh", "-c", "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" \"$0\" && exec \"$@\"", directory,
                ];
            }
            var folder = new ReadOnlyFolder(directory, by, launcher);
            folder.AssertNotWritable();
            return folder;
        }

        /// <summary>The set-up works (a command runs under the launcher) and really stops the program creating a file.</summary>
        private void AssertNotWritable()
        {
            var runs = RunUnderLauncher("true");
            Assert.True(runs.ExitCode == 0, $"cannot run a command with the folder read-only by {_by} ({string.Join(' ', Launcher)}): {runs.Stderr}");
            var probe = Path.Combine(_directory, "probe");
            var touch = RunUnderLauncher("touch", probe);
            Assert.True(touch.ExitCode != 0 && !File.Exists(probe), $"{_directory} is still writable under {string.Join(' ', Launcher)}");
        }

        private (int ExitCode, string Stderr) RunUnderLauncher(params string[] command)
        {
            var all = Launcher.Concat(command).ToList();
            var start = new ProcessStartInfo(all[0]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in all.Skip(1)) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stderr);
        }

        public void Dispose()
        {
            if (_by != ReadOnlyBy.Permissions) return;
            foreach (var entry in Directory.EnumerateFileSystemEntries(_directory, "*", SearchOption.AllDirectories).Prepend(_directory))
                File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.UserWrite);
        }
    }
}
