using System.Text;

namespace MlTutor.Answering;

/// <summary>
/// Where and how to reach an OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, llama.cpp server,
/// LM Studio, vLLM). The API key is read from an environment variable at start-up and never written anywhere;
/// <see cref="ToString"/> hides it.
/// </summary>
/// <param name="Endpoint">Base address including the version segment, e.g. http://127.0.0.1:11434/v1.</param>
/// <param name="Model">Model name as the server knows it, e.g. llama3.1:8b or gpt-4o-mini.</param>
/// <param name="ApiKey">Bearer key, or null for local servers that need none (then no Authorization header is sent).</param>
/// <param name="ConnectTimeout">Longest wait for the connection to the server.</param>
/// <param name="MaxRetries">Extra attempts after a passing failure (HTTP 408/429/5xx, a refused or dropped connection).</param>
/// <param name="RetryDelay">The first back-off; each further retry waits about twice as long.</param>
/// <param name="ApiKeyVariable">Name of the environment variable the key came from, so error messages can name it.</param>
public sealed record ChatEndpointOptions(
    Uri Endpoint,
    string Model,
    string? ApiKey,
    TimeSpan ConnectTimeout,
    int MaxRetries,
    TimeSpan RetryDelay,
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
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Answering:ConnectTimeoutSeconds must be positive, not {ConnectTimeout.TotalSeconds}");
        if (MaxRetries < 0)
            throw new ArgumentException($"Answering:MaxRetries must be 0 or more, not {MaxRetries}");
        if (RetryDelay < TimeSpan.Zero)
            throw new ArgumentException($"Answering:RetryDelaySeconds must be 0 or more, not {RetryDelay.TotalSeconds}");
    }

    // Records print every member; the key must not reach logs or the console.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, Model = {Model}, ApiKey = {(ApiKey is null ? "(none)" : "***")}, ");
        builder.Append($"ConnectTimeout = {ConnectTimeout}, MaxRetries = {MaxRetries}, RetryDelay = {RetryDelay}, ApiKeyVariable = {ApiKeyVariable}");
        return true;
    }
}
