namespace MlTutor.Answering;

/// <summary>An answerer could not produce an answer; the message is one line that says what to fix.</summary>
public sealed class AnswererException : TutorException
{
    public AnswererException(string message, Exception? innerException = null) : base(message, Remedy.CheckEndpoint, innerException) { }
}
