namespace MlTutor.Tutoring.Reviews;

/// <summary>How well an item was recalled, in FSRS's four grades; the numbers are the ones its formulas use.</summary>
public enum Rating
{
    /// <summary>Forgotten: a failed answer.</summary>
    Again = 1,
    /// <summary>Recalled with difficulty: a partial answer.</summary>
    Hard = 2,
    /// <summary>Recalled: a passing answer.</summary>
    Good = 3,
    /// <summary>Recalled at once: a clear pass, given quickly.</summary>
    Easy = 4,
}
