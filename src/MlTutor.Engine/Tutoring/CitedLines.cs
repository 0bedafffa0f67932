namespace MlTutor.Tutoring;

/// <summary>A line of a note with its number, as an editor counts them.</summary>
public sealed record NumberedLine(int Line, string Text);

/// <summary>The lines a citation points at, and the lines around them that were asked for.</summary>
public sealed record CitedLines(string File, int StartLine, int EndLine, IReadOnlyList<string> Lines,
    IReadOnlyList<NumberedLine> Before, IReadOnlyList<NumberedLine> After);
