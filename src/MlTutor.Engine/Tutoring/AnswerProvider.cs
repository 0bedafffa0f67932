namespace MlTutor.Tutoring;

/// <summary>Which answerer turns passages into an answer: the built-in offline one, or an OpenAI-compatible endpoint.</summary>
public enum AnswerProvider { Offline, OpenAi }
