using LLama.Native;

namespace MlTutor.Answering;

/// <summary>llama.cpp's own settings for this process, made once before it is first used.</summary>
internal static class LlamaNative
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        // llama.cpp describes every tensor it loads on stderr, which is the user's; what goes wrong comes back to us as
        // an exception (see LocalModelChatClient), so its log is not needed.
        NativeLibraryConfig.All.WithLogCallback((_, _) => { });
        return true;
    });

    public static void Configure() => _ = Configured.Value;
}
