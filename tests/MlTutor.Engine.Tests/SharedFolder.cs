namespace MlTutor.Tests;

/// <summary>
/// The folder <c>../shared</c> beside the repository: the user's real notes (<c>corpus/</c>), the question sets
/// (<c>eval/</c>), the BEIR benchmarks (<c>benchmarks/</c>) and the model mirror (<c>models/</c>). A fresh clone may not
/// have it, so a test that needs part of it asks for that part with <see cref="Require"/>: it is skipped, with one line
/// naming what is missing, unless MLTUTOR_REQUIRE_SHARED=1 (as in CI), where the missing part fails the test.
/// Such tests are <c>[SkippableFact]</c> or <c>[SkippableTheory]</c>.
/// The same file is compiled into the console tests.
/// </summary>
public static class SharedFolder
{
    /// <summary>Overrides where the shared folder is (default: ../shared beside the repository).</summary>
    public const string RootVariable = "MLTUTOR_SHARED";

    /// <summary>Set to 1 to make a missing shared folder a test failure rather than a skip.</summary>
    public const string RequireVariable = "MLTUTOR_REQUIRE_SHARED";

    /// <summary>The shared folder: $MLTUTOR_SHARED, else ../shared beside the repository.</summary>
    public static string Root { get; } = Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root
        ? Path.GetFullPath(root)
        : Path.GetFullPath(Path.Combine(FindRepoRoot(), "..", "shared"));

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>
    /// The full path of <paramref name="relativePath"/> (a file or a folder, such as "corpus" or
    /// "eval/questions.dev.jsonl") inside the shared folder. When it is missing the test is skipped, or fails when
    /// MLTUTOR_REQUIRE_SHARED=1.
    /// </summary>
    public static string Require(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (Directory.Exists(path) || File.Exists(path))
            return path;
        var what = $"{path} ({Describe(relativePath)}) is missing";
        if (Required)
            Assert.Fail($"{RequireVariable}=1 but {what}; put the shared folder beside the repository or point {RootVariable} at it");
        throw new SkipException($"needs the shared folder: {what} (set {RootVariable} to its folder; {RequireVariable}=1 makes this a failure)");
    }

    private static string Describe(string relativePath) =>
        relativePath.Replace('\\', '/').Split('/')[0] switch
        {
            "corpus" => "the real notes",
            "eval" => "the question sets",
            "benchmarks" => "the BEIR benchmarks",
            "models" => "the model mirror",
            "tools" => "the tools, such as llama.cpp's server",
            _ => "part of the shared folder",
        };

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MlTutor.sln")))
                return dir.FullName;
        throw new InvalidOperationException("MlTutor.sln not found above " + AppContext.BaseDirectory);
    }
}
