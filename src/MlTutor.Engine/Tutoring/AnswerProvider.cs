namespace MlTutor.Tutoring;

/// <summary>Which answerer turns passages into an answer: the built-in offline one, an OpenAI-compatible endpoint, or a
/// GGUF model run in this process.</summary>
public enum AnswerProvider { Offline, OpenAi, Local }
