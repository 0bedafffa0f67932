using System.Runtime.CompilerServices;

namespace MlTutor.Tests;

/// <summary>
/// Every temporary file of a test run, those of the programs the tests start included, goes into one folder of the run's
/// own, removed when the run ends: run after run would otherwise fill the system's temp folder.
/// </summary>
internal static class TestTempRoot
{
    // Set for the processes a test run starts, which inherit the run's folder instead of making one of their own.
    private const string RunVariable = "MLTUTOR_TEST_TEMP_ROOT";

    [ModuleInitializer]
    internal static void UseOneFolderForTheRun()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RunVariable))) return;
        var root = Directory.CreateTempSubdirectory("mltutor-tests-").FullName;
        // .NET's Path.GetTempPath() reads TMPDIR on every call, and started processes inherit it.
        Environment.SetEnvironmentVariable("TMPDIR", root);
        Environment.SetEnvironmentVariable(RunVariable, root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process the run started may still hold a file in it; the system's temp cleaning takes the rest.
            }
        };
    }
}
