using System.Text.Json;

namespace MlTutor.Tutoring;

/// <summary>
/// The questions of a conversation, oldest first, kept in a small file in the index folder (one per notes folder) so that
/// a later chat can resume it. Only questions are kept: a follow-up is read with the questions before it, and answers are
/// made again from the notes as they are then.
/// </summary>
public sealed record SavedConversation(IReadOnlyList<string> Questions, DateTimeOffset SavedAt)
{
    public const string FileName = "conversation.json";

    /// <summary>The conversation saved in <paramref name="indexDirectory"/>, or null when none is (or it cannot be
    /// read, which <paramref name="warn"/> is told: a damaged file must not stop a chat).</summary>
    public static SavedConversation? Load(string indexDirectory, Action<string> warn)
    {
        var path = Path.Combine(indexDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var saved = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path));
            if (saved?.Questions is null || saved.Questions.Any(string.IsNullOrWhiteSpace))
                throw new JsonException("no list of questions");
            return new SavedConversation(saved.Questions, saved.SavedAt);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            warn($"{path}: the saved conversation could not be read ({e.Message.Split('\n')[0]}); starting a new one");
            return null;
        }
    }

    /// <summary>Saves the conversation whole or not at all.</summary>
    /// <exception cref="TutorException">The file could not be written (a read-only folder, a full disk).</exception>
    public void Save(string indexDirectory)
    {
        var path = Path.Combine(indexDirectory, FileName);
        try
        {
            Directory.CreateDirectory(indexDirectory);
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Stored(Questions, SavedAt)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TutorException($"{path}: the conversation could not be saved ({e.Message})",
                Remedy.ChooseIndexFolder, e, indexDirectory);
        }
    }

    private sealed record Stored(IReadOnlyList<string> Questions, DateTimeOffset SavedAt);
}
