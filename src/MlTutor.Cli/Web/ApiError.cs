namespace MlTutor.Cli.Web;

/// <summary>A request the API refuses: the status and the one line the caller reads as {"error": …}.</summary>
public sealed class ApiError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
