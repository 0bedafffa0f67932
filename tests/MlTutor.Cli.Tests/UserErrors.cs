namespace MlTutor.Cli.Tests;

/// <summary>The contract for a mistake the user can fix: exit code 2 and one line on stderr, never a stack trace.</summary>
public static class UserErrors
{
    /// <summary>Asserts that <paramref name="result"/> is such an error and returns its line.</summary>
    public static string AssertOneLine(CliResult result)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("unexpected error", line);
        Assert.DoesNotContain("Exception", line);
        return line;
    }
}
