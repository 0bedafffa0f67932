using MlTutor.Indexing;

namespace MlTutor.Tutoring;

/// <summary>
/// What the update before questions did: either a build report (possibly "up to date"), or the kept index left in use
/// with the reason, when the notes or the folder did not allow an update (see <see cref="Tutor.UpdateBeforeQuestions"/>).
/// </summary>
/// <param name="Report">The update's report; null when the kept index is used as it is.</param>
/// <param name="Warning">Why the kept index answers though it may not match the notes; null when it needs no word.</param>
/// <param name="Remedy">What would let the index be updated, when the warning names something the user can change.</param>
public sealed record IndexUpdateOutcome(IndexBuildReport? Report, string? Warning, Remedy Remedy = Remedy.None)
{
    /// <summary>A new generation was published.</summary>
    public bool Built => Report is { UpToDate: false };
}
