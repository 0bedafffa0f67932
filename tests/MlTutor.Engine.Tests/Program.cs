using MlTutor.Tests.Tutoring.Reviews;

namespace MlTutor.Tests;

/// <summary>
/// The test assembly's entry point. The test host never calls it; tests that must kill a real process in the middle of
/// its work start this assembly with a command (<c>dotnet MlTutor.Engine.Tests.dll write-reviews …</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["write-reviews", .. var rest] => ReviewWriter.Run(rest),
        _ => 2,
    };
}
