using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlTutor.Tutoring;

namespace MlTutor.Cli;

/// <summary>Options every command takes, and the host that turns them plus configuration into a <see cref="Tutor"/>.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Corpus = new("--corpus")
    { Description = "Folder of notes (.md, .markdown, .txt). Default: Corpus:Directory in appsettings.json", Recursive = true, HelpName = "DIR" };

    public static readonly Option<string?> Index = new("--index")
    { Description = "Folder of the index. Default: Index:Directory, or a folder per corpus under the user's data directory", Recursive = true, HelpName = "DIR" };

    public static readonly Option<string?> Model = new("--model")
    { Description = "Encoder variant: fp32 (reference) or int8 (faster). Default: Model:Variant", Recursive = true, HelpName = "fp32|int8" };

    public static IEnumerable<Option> All => [Corpus, Index, Model];

    /// <summary>An optional whole-number option, e.g. --k N; with <paramref name="range"/>, a number outside it is refused.</summary>
    public static Option<int?> WholeNumber(string name, string description, (int Min, int Max)? range = null) =>
        new(name) { Description = description, HelpName = "N", CustomParser = r => ParseWholeNumber(name, r, range) };

    /// <summary>A whole-number option with a default, e.g. --context N.</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, (int Min, int Max)? range = null) =>
        new(name)
        {
            Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseWholeNumber(name, r, range) ?? defaultValue,
        };

    /// <summary>The --k of every command: how many passages a question gets.</summary>
    public static (int Min, int Max) KRange => (1, TutorSettings.RetrievalSettings.MaxK);

    /// <summary>A value that is not a whole number is refused naming the option and what it takes, not with the
    /// parser's own message, which names a .NET type ("System.Nullable`1[System.Int32]").</summary>
    private static int? ParseWholeNumber(string name, System.CommandLine.Parsing.ArgumentResult result, (int Min, int Max)? range)
    {
        if (result.Tokens.Count == 0) return null;
        var token = result.Tokens[^1].Value;
        var style = System.Globalization.NumberStyles.AllowLeadingSign;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (int.TryParse(token, style, culture, out var n) && (range is not { } r || (n >= r.Min && n <= r.Max)))
            return n;
        // A number beyond int is out of the range too, not "not a number".
        if (range is { } allowed && System.Numerics.BigInteger.TryParse(token, style, culture, out _))
        {
            result.AddError($"{name} takes a whole number from {allowed.Min} to {allowed.Max}, not {token}");
            return null;
        }
        result.AddError($"{name} takes a whole number, e.g. {name} 5: '{token}' is not one");
        return null;
    }

    /// <summary>
    /// Builds the generic host: appsettings.json from the MlTutor folder, MLTUTOR__SECTION__KEY environment variables,
    /// then the command line's options, later sources winning.
    /// </summary>
    /// <param name="questionAfterQuestion">The command embeds question after question (a chat, the web page, a batch):
    /// unless Model:PackWeights says otherwise, the model's weights are then packed for speed (see
    /// <see cref="Embedding.MiniLmEncoder.PacksWeights"/>), which a command that embeds one question never earns back.</param>
    public static IHost BuildHost(ParseResult parse, bool questionAfterQuestion = false)
    {
        var home = Home;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = home });
        builder.Configuration.AddJsonFile(Path.Combine(home, "appsettings.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables("MLTUTOR__");
        var overrides = new Dictionary<string, string?>();
        var cwd = Environment.CurrentDirectory;
        if (parse.GetValue(Corpus) is { } corpus) overrides["Corpus:Directory"] = Path.GetFullPath(corpus, cwd);
        // An empty --index ("", an unset shell variable) means the default folder, as if the option were left out, never
        // the current folder.
        if (parse.GetValue(Index) is { } index && !string.IsNullOrWhiteSpace(index)) overrides["Index:Directory"] = Path.GetFullPath(index, cwd);
        if (parse.GetValue(Model) is { } model) overrides["Model:Variant"] = model;
        if (questionAfterQuestion && string.IsNullOrEmpty(builder.Configuration["Model:PackWeights"])) overrides["Model:PackWeights"] = "true";
        builder.Configuration.AddInMemoryCollection(overrides);

        // MLTUTOR_CLOCK_DAYS moves the tutor's clock forward, to see which reviews come due on a later day.
        if (double.TryParse(Environment.GetEnvironmentVariable("MLTUTOR_CLOCK_DAYS"), System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var days) && days is > -36_500 and < 36_500)
            builder.Services.AddSingleton<TimeProvider>(new ShiftedClock(TimeSpan.FromDays(days)));
        builder.Services.AddTutor(builder.Configuration, home, warning => Console.Error.WriteLine("warning: " + warning));
        return builder.Build();
    }

    public static Tutor Tutor(this IHost host) => host.Services.GetRequiredService<Tutor>();

    /// <summary>The MlTutor folder (set by ./mltutor), else the nearest folder above the program that holds MlTutor.sln.</summary>
    public static string Home
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("MLTUTOR_HOME");
            if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MlTutor.sln"))) return dir.FullName;
            return Environment.CurrentDirectory;
        }
    }
}

/// <summary>The system's clock, moved by a fixed span.</summary>
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
