using System.Security.Cryptography;
using System.Text;
using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

/// <summary>
/// An index stores each question's key points with its item and keeps the items of unchanged notes as they are, so a
/// change to how the notes are read as claims (<see cref="NoteSentenceSplitter"/>, <see cref="QuotableUnits"/>,
/// <see cref="NoteClaims"/>) must come with a new <see cref="Chunker.Version"/>: that re-chunks every note, and no index
/// mixes the old reading with the new. This test notices such a change on the real notes.
/// </summary>
public sealed class ItemKeyPointsReadingTests(CorpusChunks corpus) : IClassFixture<CorpusChunks>
{
    /// <summary>The digest of the real notes' stored key points under each chunker version since they were stored. A new
    /// reading of the notes gets a new version and a new line here; an old line is never changed.</summary>
    private static readonly Dictionary<int, string> ReadingByVersion = new()
    {
        [8] = "506593907948d811cd9b516db86e81eb8421ae7b6d7b77de215605f80fc3d4f9",
        [9] = "2bec7956c7de3543e8d6fcd3461103cb1463d0b0d763748f29d48bef6ebab1a7",
        [10] = "c474ef2ed7da9ee196f2d7545e1fae5cf8b06cb86513cb08688d4cf993b00484",
        [11] = "83182bd7674dd0e858f714d7a85d49fa6518086f3eda2c080088c5d07a667966",
        [12] = "a995fb4cf3abc1da499f010a108eb21fde05e7cb1b98f78ce420cf6be9c19661",
    };

    [Fact]
    public void The_key_points_of_the_real_notes_change_only_with_the_chunker_version()
    {
        var points = new StringBuilder();
        foreach (var question in QuestionBank.Of(corpus.All))
            foreach (var k in question.KeyPoints)
                points.Append($"{question.File}\t{question.ItemId}\t{k.StartLine}\t{k.EndLine}\t{k.Text}\t{string.Join("\u001f", k.Items)}\t{k.Context}\n");
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(points.ToString())));

        Assert.True(points.Length > 0);
        Assert.True(ReadingByVersion.TryGetValue(Chunker.Version, out var expected) && expected == digest,
            $"The notes' key points now read {digest}: if that is meant, raise Chunker.Version and add it under the new version.");
        Assert.Equal(Chunker.Version, ReadingByVersion.Keys.Max());
    }
}
