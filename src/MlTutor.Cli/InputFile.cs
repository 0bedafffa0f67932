namespace MlTutor.Cli;

/// <summary>Checks a file the user named (a question set, a batch of texts) before it is read.</summary>
public static class InputFile
{
    /// <summary>Throws a user error when <paramref name="path"/> is missing or is a folder, saying which.</summary>
    public static void Require(string path)
    {
        if (Directory.Exists(path)) throw new UserException($"{path} is a folder, not a file: give the path of a JSONL file");
        if (!File.Exists(path)) throw new UserException($"{path} does not exist: give the path of a JSONL file");
    }
}
