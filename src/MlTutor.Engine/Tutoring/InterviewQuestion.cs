namespace MlTutor.Tutoring;

/// <summary>
/// A question of the question bank: a flashcard's or a Q/A pair's own question as the notes write it, with the item it
/// belongs to (whose review it schedules) and the topic its progress counts under.
/// </summary>
public sealed record InterviewQuestion(string ItemId, string Question, string Topic, string File, int StartLine, int EndLine);
