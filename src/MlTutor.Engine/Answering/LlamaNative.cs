using LLama.Native;

namespace MlTutor.Answering;

/// <summary>llama.cpp's own settings for this process, made once before it is first used.</summary>
internal static class LlamaNative
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        // llama.cpp describes every tensor it loads on stderr; only its warnings and errors concern a user.
        NativeLibraryConfig.All.WithLogCallback((level, message) =>
        {
            if (level is LLamaLogLevel.Warning or LLamaLogLevel.Error && Environment.GetEnvironmentVariable("MLTUTOR_DEBUG") == "1")
                Console.Error.Write("llama.cpp: " + message);
        });
        return true;
    });

    public static void Configure() => _ = Configured.Value;
}
