using Microsoft.AspNetCore.Http;

namespace MlTutor.Cli.Web;

/// <summary>Every failure of a call as {"error": "…"}: a status and one line, never a stack trace.</summary>
public static class ApiErrors
{
    /// <summary>The status and message for <paramref name="e"/>: 400 for a request the user can fix (a bad citation, a
    /// note outside the notes), 409 for a state of the notes or index that a command fixes, 500 for a fault.</summary>
    public static (int Status, string Message) Describe(Exception e) => e switch
    {
        ApiError api => (api.Status, api.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        TutorException { Remedy: Remedy.FixInput } => (StatusCodes.Status400BadRequest, ErrorReporting.Describe(e)),
        _ when ErrorReporting.IsUserError(e) => (StatusCodes.Status409Conflict, ErrorReporting.Describe(e)),
        _ => (StatusCodes.Status500InternalServerError, $"unexpected error ({e.GetType().Name}): {e.Message}"),
    };

    /// <summary>Answers a failed call with its JSON error (when nothing of the answer was sent yet).</summary>
    public static async Task HandleAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested || http.Response.HasStarted)
        {
            // The page went away, or the server is stopping (Ctrl-C) in the middle of an answer: nobody reads the rest.
        }
        catch (Exception e)
        {
            var (status, message) = Describe(e);
            if (status >= 500) Console.Error.WriteLine($"mltutor serve: {http.Request.Method} {http.Request.Path}: {message}");
            if (http.Response.HasStarted) return;
            http.Response.Clear();
            await StudyApi.Json(new { error = message }, status).ExecuteAsync(http);
        }
    }
}
