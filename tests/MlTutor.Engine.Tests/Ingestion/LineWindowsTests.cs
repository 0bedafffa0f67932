using MlTutor.Ingestion;
using Xunit;

namespace MlTutor.Tests.Ingestion;

public sealed class LineWindowsTests
{
    [Fact]
    public void Each_content_line_is_paired_with_the_next_and_the_last_stands_alone()
    {
        var text = "What is dropout?\n???\n  - randomly zeroes activations  \n\n- reduces co-adaptation\n---\n42";
        Assert.Equal(
            ["What is dropout?\n- randomly zeroes activations", "- randomly zeroes activations\n- reduces co-adaptation", "- reduces co-adaptation"],
            LineWindows.Of(text));
    }

    [Fact]
    public void Text_without_letters_has_no_windows()
    {
        Assert.Empty(LineWindows.Of("---\n\n$$ 1 + 2 $$\n???"));
        Assert.Equal(["One line"], LineWindows.Of("One line"));
    }
}
