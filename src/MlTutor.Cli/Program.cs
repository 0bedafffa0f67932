using System.CommandLine;
using MlTutor.Cli;
using MlTutor.Cli.Commands;

var root = new RootCommand("MlTutor: answers questions from your machine-learning notes, with citations to the exact lines.");
foreach (var option in CommonOptions.All) root.Options.Add(option);
root.Subcommands.Add(IndexCommand.Create());
root.Subcommands.Add(AskCommand.Create());
root.Subcommands.Add(ChatCommand.Create());
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(CiteCommand.Create());
root.Subcommands.Add(ChunksCommand.Create());
root.Subcommands.Add(EmbedCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ModelCheckCommand.Create());

return await ErrorReporting.RunAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
