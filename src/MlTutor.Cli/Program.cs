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

// Questions are free text and may start with '@' ("@k metrics like precision@k?"): no token is read as a response file.
var parsing = new ParserConfiguration { ResponseFileTokenReplacer = null };
return await ErrorReporting.RunAsync(root.Parse(args, parsing), new InvocationConfiguration { EnableDefaultExceptionHandler = false });
