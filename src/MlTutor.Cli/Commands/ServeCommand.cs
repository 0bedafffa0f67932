using System.CommandLine;
using System.Net;
using MlTutor.Cli.Web;

namespace MlTutor.Cli.Commands;

/// <summary><c>mltutor serve</c>: the study page in the browser, on this machine, over the same tutor as the commands.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var port = CommonOptions.WholeNumber("--port", "Port to listen on; 0 picks a free one", 8130, (0, 65535));
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on (default 127.0.0.1, this machine only); any other lets whoever can reach it read the notes",
            HelpName = "ADDR", DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("serve", "Serve the study page: ask in the browser, formulas typeset, citations that open the cited lines") { port, host };
        command.SetAction(async (parse, ct) =>
        {
            var address = ParseAddress(parse.GetValue(host)!);
            if (!IPAddress.IsLoopback(address))
                Console.Error.WriteLine($"warning: listening on {address}: anyone who can reach this machine on that address can read your notes and ask questions");
            using var tutorHost = CommonOptions.BuildHost(parse, questionAfterQuestion: true);
            var tutor = tutorHost.Tutor();
            if (!File.Exists(Path.Combine(StudyServer.PageFolder, "lib", "katex.min.js")))
                Console.Error.WriteLine("warning: the page's libraries (KaTeX, markdown-it, DOMPurify) are missing: run ./mltutor setup, which installs them, then serve again");
            tutor.StartLoadingForAnswers();
            Output.UpdateBeforeQuestions(tutor, ct);
            await StudyServer.RunAsync(tutor, address, parse.GetValue(port), ct);
            return 0;
        });
        return command;
    }

    private static IPAddress ParseAddress(string text)
    {
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return IPAddress.TryParse(text.Trim('[', ']'), out var address)
            ? address
            : throw new UserException($"--host {text}: give an IP address to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)");
    }
}
