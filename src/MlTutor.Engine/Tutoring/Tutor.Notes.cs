using MlTutor.Ingestion;

namespace MlTutor.Tutoring;

/// <summary>The notes themselves: the lines a citation points at, and the chunks the notes are cut into.</summary>
public sealed partial class Tutor
{
    /// <summary>
    /// Lines START..END of a note with <paramref name="context"/> lines around them, read and decoded exactly as indexing
    /// reads them (the same reader, rules for what is a note, and size limit), so that line N here is line N of every
    /// citation. A file indexing does not read is refused with the reason; a line past the note's end means the note
    /// was edited since it was indexed.
    /// </summary>
    public CitedLines Cite(CitationReference reference, int context = 0)
    {
        if (context < 0)
            throw new TutorException($"{context} lines of context: the number of lines around a citation must be 0 or more", Remedy.FixInput);
        var (file, start, end) = reference;
        var note = NoteLines.Split(Reader.ReadNote(CorpusDirectory, file).Text);
        var missing = start > note.Length ? start : end > note.Length ? end : 0;
        if (missing > 0)
            throw new TutorException($"{file} has {note.Length} lines; line {missing} does not exist (was the note edited since it was indexed?)", Remedy.UpdateIndex);
        // Within the note, and a context near int's limit cannot overflow.
        var last = (int)Math.Min(note.Length, (long)end + context);
        return new CitedLines(file, start, end, note[(start - 1)..end],
            Numbered(note, Math.Max(1, start - context), start - 1), Numbered(note, end + 1, last));
    }

    /// <summary>The conversation the last chat in these notes was having, or null (none, or not readable: the warning
    /// says which).</summary>
    public SavedConversation? LastConversation() => SavedConversation.Load(IndexDirectory, _warn);

    /// <summary>Keeps <paramref name="questions"/> as the conversation to resume.</summary>
    /// <exception cref="TutorException">It could not be written.</exception>
    public void SaveConversation(IReadOnlyList<string> questions) =>
        new SavedConversation(questions, DateTimeOffset.UtcNow).Save(IndexDirectory);

    private static NumberedLine[] Numbered(string[] note, int from, int to) =>
        Enumerable.Range(from, Math.Max(0, to - from + 1)).Select(n => new NumberedLine(n, note[n - 1])).ToArray();

    /// <summary>
    /// The notes as the index cuts them, note by note: all of them, or only <paramref name="file"/> (a path that names a
    /// file from the current folder is taken as given, otherwise it is relative to the notes folder; either way it must
    /// be a note the index reads: nothing outside the notes is shown).
    /// </summary>
    public IEnumerable<NoteChunks> ListChunks(string? file, ICollection<IngestionWarning> warnings, CancellationToken cancellationToken = default)
    {
        RequireCorpus();
        IReadOnlyList<NoteFile> notes = file is { Length: > 0 }
            ? [Reader.ReadNote(CorpusDirectory, File.Exists(file) ? Path.GetFullPath(file) : file)]
            : Reader.ReadAll(CorpusDirectory, warnings);
        var chunker = Chunker;
        foreach (var note in notes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new NoteChunks(note, chunker.Chunk(note, warnings));
        }
    }
}

/// <summary>A note and the chunks it is cut into.</summary>
public sealed record NoteChunks(NoteFile Note, IReadOnlyList<Chunk> Chunks);
