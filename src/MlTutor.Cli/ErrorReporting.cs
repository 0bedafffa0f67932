using MlTutor.Answering;
using MlTutor.Embedding;
using MlTutor.Indexing;
using MlTutor.Ingestion;

namespace MlTutor.Cli;

/// <summary>Turns failures into one line on stderr and an exit code; a stack trace only with MLTUTOR_DEBUG=1.</summary>
public static class ErrorReporting
{
    public const int UserError = 2;

    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (IsUserError(e))
        {
            await Console.Error.WriteLineAsync("mltutor: " + e.Message);
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

    private static bool IsUserError(Exception e) => e is UserException or CorpusNotFoundException or NotANoteException or ModelNotFoundException
        or IndexNotBuiltException or IndexCorruptException or IndexDamagedException or EmptyCorpusException or IndexBusyException or IndexReadOnlyException or IndexFolderRefusedException or IndexWriteException or FaissIndexException or AnswererException
        or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
