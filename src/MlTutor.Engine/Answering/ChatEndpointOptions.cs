using System.Text;

namespace MlTutor.Answering;

/// <summary>
/// Where and how to reach an OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, llama.cpp server,
/// LM Studio, vLLM). The API key is read from an environment variable at start-up and never written anywhere;
/// <see cref="ToString"/> hides it.
/// </summary>
/// <param name="Endpoint">Base address including the version segment, e.g. http://127.0.0.1:11434/v1.</param>
/// <param name="Model">Model name as the server knows it, e.g. llama3.1:8b or gpt-4o-mini.</param>
/// <param name="ApiKey">Bearer key, or null for local servers that need none.</param>
/// <param name="Timeout">Longest wait for one whole answer, retries included.</param>
/// <param name="MaxRetries">Extra attempts after a transient failure (HTTP 408/429/5xx, dropped connection).</param>
/// <param name="ApiKeyVariable">Name of the environment variable the key came from, so error messages can name it.</param>
public sealed record ChatEndpointOptions(
    Uri Endpoint,
    string Model,
    string? ApiKey,
    TimeSpan Timeout,
    double Temperature,
    int MaxTokens,
    int MaxRetries = 2,
    string? ApiKeyVariable = null)
{
    /// <summary>The value of environment variable <paramref name="variable"/>, or null when it is unnamed, unset or empty.</summary>
    public static string? ApiKeyFromEnvironment(string? variable) =>
        string.IsNullOrWhiteSpace(variable) ? null
        : Environment.GetEnvironmentVariable(variable.Trim()) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"Answering:Endpoint must be an absolute http(s) address such as http://127.0.0.1:11434/v1, not '{Endpoint}'");
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException("Answering:Model must name the model to use, e.g. llama3.1:8b");
        if (Timeout <= TimeSpan.Zero)
            throw new ArgumentException($"Answering:TimeoutSeconds must be positive, not {Timeout.TotalSeconds}");
        if (MaxTokens <= 0)
            throw new ArgumentException($"Answering:MaxTokens must be positive, not {MaxTokens}");
        if (Temperature is < 0 or > 2 || double.IsNaN(Temperature))
            throw new ArgumentException($"Answering:Temperature must be between 0 and 2, not {Temperature}");
        if (MaxRetries < 0)
            throw new ArgumentException($"Answering:MaxRetries must be 0 or more, not {MaxRetries}");
    }

    // Records print every member; the key must not reach logs or the console.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, Model = {Model}, ApiKey = {(ApiKey is null ? "(none)" : "***")}, ");
        builder.Append($"Timeout = {Timeout}, Temperature = {Temperature}, MaxTokens = {MaxTokens}, MaxRetries = {MaxRetries}, ApiKeyVariable = {ApiKeyVariable}");
        return true;
    }
}
