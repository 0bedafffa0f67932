namespace MlTutor.Indexing;

/// <summary>A FAISS index could not be created, read, written or queried; the message names the file when there is one.</summary>
public sealed class FaissIndexException : Exception
{
    public FaissIndexException(string message) : base(message) { }

    public FaissIndexException(string message, Exception inner) : base(message, inner) { }
}
