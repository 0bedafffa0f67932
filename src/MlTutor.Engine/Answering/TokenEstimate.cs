namespace MlTutor.Answering;

/// <summary>
/// How many tokens a text makes for a chat model, estimated without the model's tokenizer (an endpoint does not share
/// it): byte-pair tokenizers of English-trained chat models cut English prose and notes into a token per few characters.
/// It is for budgets and reports, not for billing; the real count is the server's.
/// </summary>
public static class TokenEstimate
{
    /// <summary>Characters per token. Checked against llama.cpp's own count of a tutor prompt over real notes (see the
    /// README's LLM section); the estimate errs high there, so a budget is not overrun.</summary>
    public const double CharactersPerToken = 3.6;

    /// <summary>What a chat template adds around each message (role markers, separators).</summary>
    public const int PerMessage = 4;

    public static int Of(string? text) => string.IsNullOrEmpty(text) ? 0 : (int)Math.Ceiling(text.Length / CharactersPerToken);

    public static int OfMessage(string? text) => PerMessage + Of(text);
}
