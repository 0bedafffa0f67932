using System.CommandLine;
using MlTutor.Cli;
using MlTutor.Cli.Commands;
using Spectre.Console;

var root = new RootCommand("MlTutor: answers questions from your machine-learning notes, with citations to the exact lines.");
foreach (var option in CommonOptions.All) root.Options.Add(option);
root.Subcommands.Add(IndexCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(WatchCommand.Create());
root.Subcommands.Add(AskCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(GradeCommand.Create());
root.Subcommands.Add(InterviewCommand.Create());
root.Subcommands.Add(InterviewCommand.CreateReview());
root.Subcommands.Add(InterviewCommand.CreateProgress());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(QuestionsCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(CiteCommand.Create());
root.Subcommands.Add(ChunksCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ModelCheckCommand.Create());
root.Subcommands.Add(LlmCheckCommand.Create());

// Tables and wrapped answers take the width a user sets (COLUMNS=200 ./mltutor eval … | less), else the terminal's.
if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns is > 0 and < 10_000) AnsiConsole.Profile.Width = columns;

// Questions are free text and may start with '@' ("@k metrics like precision@k?"): no token is read as a response file.
var parsing = new ParserConfiguration { ResponseFileTokenReplacer = null };
// Signals are handled by Interruption rather than by the parser, whose handler starts only once a command's action has
// returned its task: that is after the work, for the synchronous actions here.
using var signals = Interruption.Handle();
var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
return await ErrorReporting.RunAsync(root.Parse(args, parsing), invocation, Interruption.Token);
