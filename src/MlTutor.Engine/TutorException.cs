namespace MlTutor;

/// <summary>
/// What the user can do about a failure. The engine names the kind; each host says it in its own words (the console
/// names the command to run, a web page a button to press).
/// </summary>
public enum Remedy
{
    /// <summary>Nothing the user can do beyond reading the message.</summary>
    None,
    /// <summary>Correct the input named in the message (a question file, a citation, a note's path).</summary>
    FixInput,
    /// <summary>Change the setting named by <see cref="TutorException.Setting"/>.</summary>
    FixSetting,
    /// <summary>Point the tutor at a folder of notes that exists.</summary>
    ChooseNotesFolder,
    /// <summary>Give another folder for the index (a new or empty one, or one that can be written).</summary>
    ChooseIndexFolder,
    /// <summary>Build the index, which does not exist yet.</summary>
    BuildIndex,
    /// <summary>Update the index from the notes (it no longer matches them, or can be repaired from its stored vectors).</summary>
    UpdateIndex,
    /// <summary>Throw the index away and build it again.</summary>
    RebuildIndex,
    /// <summary>Install the encoder model.</summary>
    InstallModel,
    /// <summary>Free disk space, or give a folder on another disk.</summary>
    FreeDiskSpace,
    /// <summary>Wait for another process to finish with the index.</summary>
    WaitForOtherProcess,
    /// <summary>Check the language model's endpoint (address, key, server running).</summary>
    CheckEndpoint,
}

/// <summary>
/// A failure the user can act on: the message says what went wrong in the engine's words, never a host's (no command-line
/// flags, no buttons); <see cref="Remedy"/> says what kind of action fixes it.
/// </summary>
/// <param name="indexDirectory">The index folder the remedy applies to, when there is one.</param>
public class TutorException(string message, Remedy remedy, Exception? innerException = null, string? indexDirectory = null)
    : Exception(message, innerException)
{
    public Remedy Remedy { get; } = remedy;

    /// <summary>The setting to change (e.g. "Retrieval:K") when <see cref="Remedy"/> is <see cref="Remedy.FixSetting"/>.</summary>
    public string? Setting { get; init; }

    /// <summary>The index folder concerned, when there is one: the remedy applies to it.</summary>
    public string? IndexDirectory { get; init; } = indexDirectory;
}
