namespace MlTutor.Ingestion;

/// <summary>A path given as a note is not one the index reads (outside the notes folder, hidden, not a note's extension,
/// not a regular file, unreadable): nothing in it is shown or cited.</summary>
public sealed class NotANoteException(string message) : TutorException(message, Remedy.FixInput);
