using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MlTutor.Cli.Web;

/// <summary>A call's JSON body, read whole; a body that is not JSON is a 400.</summary>
public static class RequestBody
{
    /// <summary>The body as JSON; an empty body is an empty object when <paramref name="optional"/>.</summary>
    public static async Task<JsonElement> ReadAsync(HttpContext http, bool optional = false)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        if (optional && string.IsNullOrWhiteSpace(text)) text = "{}";
        try
        {
            using var body = JsonDocument.Parse(text);
            return body.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ApiError(400, $"the body is not JSON: {e.Message}");
        }
    }
}
