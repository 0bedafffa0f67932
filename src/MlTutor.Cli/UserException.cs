namespace MlTutor.Cli;

/// <summary>A mistake on the command line the user can fix (an option value, a missing file): printed as one line, exit code 2.</summary>
public sealed class UserException(string message) : Exception(message);
