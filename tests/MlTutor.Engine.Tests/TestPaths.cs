namespace MlTutor.Tests;

/// <summary>Where the tests find the repository and the model (the user's notes in ../shared: <see cref="SharedFolder"/>).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The model as the set-up installs it into the repository.</summary>
    public static string ModelDir => Path.Combine(RepoRoot, "models", "all-MiniLM-L6-v2");

    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string NewTempDir(string prefix = "mltutor-test")
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlTutor.sln")))
                return dir.FullName;
        throw new InvalidOperationException("MlTutor.sln not found above " + AppContext.BaseDirectory);
    }
}
