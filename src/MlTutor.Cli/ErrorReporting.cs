using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using MlTutor.Indexing;

namespace MlTutor.Cli;

/// <summary>Turns failures into one line on stderr and an exit code; a stack trace only with MLTUTOR_DEBUG=1.</summary>
public static partial class ErrorReporting
{
    public const int UserError = 2;

    /// <summary>
    /// Runs a parsed command line. One the parser refused (an unknown option, a missing or bad value) is a user error like
    /// any other: one line on stderr naming the first mistake and where the command's options are listed, exit code 2, and
    /// no help text on stdout, where a program reading the output would take it for results. --help and --version run.
    /// </summary>
    public static Task<int> RunAsync(ParseResult parse, InvocationConfiguration configuration, CancellationToken cancellationToken = default) => RunAsync(async () =>
    {
        if (CommandLineMistake(parse) is { } mistake)
        {
            await Console.Error.WriteLineAsync($"mltutor: {mistake} (see {CommandPath(parse.CommandResult)} --help)");
            return UserError;
        }
        return await parse.InvokeAsync(configuration, cancellationToken);
    });

    /// <summary>The first mistake in the command line, in one line, or null when it can run.</summary>
    public static string? CommandLineMistake(ParseResult parse)
    {
        if (parse.Action is HelpAction) return null;
        // The parser gives a word it does not know to a free-text argument (a QUESTION) when there is one: "--bogus"
        // would be searched for. A question that starts with '-' can still be asked after "--".
        var afterDoubleDash = parse.Tokens.SkipWhile(t => t.Type != TokenType.DoubleDash).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
            foreach (var token in argument.Tokens)
                if (LooksLikeOption().IsMatch(token.Value) && !afterDoubleDash.Contains(token))
                    return $"unknown option '{token.Value}'; a {argument.Argument.Name} that starts with '-' goes after '--'";
        if (parse.Errors.Count == 0) return null;
        // Without a command the parser's first complaint is that none was given, even when one was mistyped.
        if (parse.CommandResult.Parent is null)
            return parse.UnmatchedTokens is [var word, ..]
                ? $"unknown {(word.StartsWith('-') ? "option" : "command")} '{word}'"
                : "give a command, e.g. mltutor ask \"What is dropout?\"";
        // A wrong value names the option and what it takes: more use than a stray word, which the parser lists first.
        var first = parse.Errors.OrderBy(e => e.SymbolResult is OptionResult or ArgumentResult ? 0 : 1).First();
        var message = string.Join(' ', first.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return message.TrimEnd('.');
    }

    private static string CommandPath(CommandResult? command)
    {
        var names = new List<string>();
        for (var c = command; c?.Parent is CommandResult parent; c = parent) names.Insert(0, c.Command.Name);
        return string.Join(' ', names.Prepend("mltutor"));
    }

    /// <summary>"--word" or "-x": an option's name, not a question.</summary>
    [GeneratedRegex(@"^(--[A-Za-z][A-Za-z0-9-]*|-[A-Za-z])$")]
    private static partial Regex LooksLikeOption();

    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (IsUserError(e))
        {
            await Console.Error.WriteLineAsync("mltutor: " + Describe(e));
            return UserError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("mltutor: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            var debug = Environment.GetEnvironmentVariable("MLTUTOR_DEBUG") == "1";
            await Console.Error.WriteLineAsync(debug
                ? "mltutor: unexpected error: " + e
                : $"mltutor: unexpected error ({e.GetType().Name}): {e.Message} (set MLTUTOR_DEBUG=1 for details)");
            return 1;
        }
    }

    /// <summary>
    /// A failure in one line: the engine says what went wrong and what kind of remedy applies (<see cref="TutorException.Remedy"/>);
    /// the console adds the command that applies it.
    /// </summary>
    public static string Describe(Exception e) => e is TutorException tutorError
        ? WithRemedy(e.Message, tutorError.Remedy, tutorError.IndexDirectory)
        : e.Message;

    /// <summary>The engine's <paramref name="message"/>, then the command that applies <paramref name="remedy"/>.</summary>
    public static string WithRemedy(string message, Remedy remedy, string? indexDirectory = null) =>
        RemedyText(remedy, indexDirectory) is { } text ? $"{message}: {text}" : message;

    private static string? RemedyText(Remedy remedy, string? indexDirectory) => remedy switch
    {
        Remedy.ChooseNotesFolder => "create it, or point to your notes with --corpus DIR",
        Remedy.ChooseIndexFolder => "the index folder is chosen with --index DIR (left out: a folder per notes folder under your data folder)",
        Remedy.BuildIndex => "build it with ./mltutor index",
        Remedy.UpdateIndex => "run ./mltutor index" + IndexOption(indexDirectory) + " to bring the index up to date",
        Remedy.RebuildIndex => "rebuild it with ./mltutor index --rebuild" + IndexOption(indexDirectory),
        Remedy.InstallModel => "run ./mltutor setup (copies it from $MLTUTOR_MODEL_MIRROR or downloads it)",
        Remedy.FreeDiskSpace => "free some space on that disk, or give a folder on another disk with --index, and index again",
        Remedy.WaitForOtherProcess => "wait for it to finish",
        _ => null,
    };

    private static string IndexOption(string? indexDirectory) => indexDirectory is { } directory ? $" --index {directory}" : "";

    /// <summary>A failure the user can act on: the engine's (each says what went wrong and the remedy's kind), the
    /// command line's, and a file the system could not find or open.</summary>
    public static bool IsUserError(Exception e) => e is UserException or TutorException or FaissIndexException
        or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
