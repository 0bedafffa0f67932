using System.Runtime.CompilerServices;

namespace MlTutor.Tests;

/// <summary>
/// The temporary files of a test run, those of the programs it starts included (they inherit TMPDIR; native code inside
/// the test process itself still uses the system's folder), go into one folder of the run's own, removed when the run
/// ends: run after run would otherwise fill the system's temp folder. A run that was killed before it could remove its
/// folder has it removed by the next run: each run holds a lock file in its folder for as long as it lives.
/// </summary>
internal static class TestTempRoot
{
    // Set for the processes a test run starts, which use the run's folder instead of making one of their own.
    private const string RunVariable = "MLTUTOR_TEST_TEMP_ROOT";
    private const string Prefix = "mltutor-tests-";
    private const string LockName = "run.lock";

    // Open, and so locked, while the run lives (the system lets go of it when the process ends, however it ends).
    private static FileStream? _lock;

    [ModuleInitializer]
    internal static void UseOneFolderForTheRun()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RunVariable))) return;
        RemoveFoldersOfEndedRuns();
        var root = Directory.CreateTempSubdirectory(Prefix).FullName;
        _lock = new FileStream(Path.Combine(root, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        // .NET's Path.GetTempPath() reads TMPDIR on every call, and started processes inherit it.
        Environment.SetEnvironmentVariable("TMPDIR", root);
        Environment.SetEnvironmentVariable(RunVariable, root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            _lock.Dispose();
            Remove(root);
        };
    }

    /// <summary>The folders of runs whose lock no process holds any more, and old ones that have no lock (their removal
    /// was cut short).</summary>
    private static void RemoveFoldersOfEndedRuns()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var lockFile = Path.Combine(folder, LockName);
            try
            {
                // A folder without a lock may be one a run starting now has just made: only an old one is left over.
                if (!File.Exists(lockFile))
                {
                    if (Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1)) Remove(folder);
                    continue;
                }
                // Opened only when no live run holds it.
                using (new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            Remove(folder);
        }
    }

    private static void Remove(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process the run started may still be writing in it; the next run removes the rest.
        }
    }
}
