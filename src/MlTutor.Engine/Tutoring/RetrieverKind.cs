namespace MlTutor.Tutoring;

/// <summary>Which ranking supplies a question's passages.</summary>
public enum RetrieverKind { Dense, Keyword, Hybrid }
