using System.Security.Cryptography;
using System.Text;

namespace MlTutor.Ingestion;

/// <summary>
/// Gives each section, flashcard and Q/A pair of a note its stable id: a kind, a colon and the first 12 hex digits of
/// the SHA-256 of the note's path, the item's heading path and, for a card or pair, its question, one per line
/// ("card:3f9a1c2b7d4e", "qa:…", "section:…"). Nothing else goes in: not its lines, not how the note is cut, not the
/// chunker's version, so an id holds while the note is edited elsewhere or cut anew, and changes when the item's file,
/// headings or question do. The same item written twice (two identical cards under one heading, two sections with the
/// same headings) gets "-2", "-3"… after the id, in the order they stand in the note: those ids, alone, shift when a
/// copy is added or removed above them.
/// </summary>
internal static class ItemIds
{
    /// <summary>Ties every block to its section and names every item. A section starts at each heading; the content after a
    /// table of contents or a rule, under the same headings, is still the same section.</summary>
    public static void Assign(string file, IReadOnlyList<OutlineSection> sections)
    {
        var copies = new Dictionary<string, int>(StringComparer.Ordinal);
        OutlineItem? section = null;
        foreach (var s in sections)
        {
            if (section is null || section.HeadingPath != s.HeadingPath || s.Blocks[0].Kind == BlockKind.Heading)
            {
                section = new OutlineItem(ItemKind.Section, s.HeadingPath);
                Name(section);
            }
            foreach (var b in s.Blocks)
            {
                b.Section = section;
                if (b.Item is { Id.Length: 0 } item) Name(item);
            }
        }

        void Name(OutlineItem item)
        {
            var id = Of(file, item);
            var copy = copies[id] = copies.GetValueOrDefault(id) + 1;
            item.Id = copy == 1 ? id : $"{id}-{copy}";
        }
    }

    private static string Of(string file, OutlineItem item)
    {
        var key = item.Question is null ? $"{file}\n{item.HeadingPath}" : $"{file}\n{item.HeadingPath}\n{item.Question}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        var kind = item.Kind switch
        {
            ItemKind.Flashcard => "card",
            ItemKind.QaPair => "qa",
            _ => "section",
        };
        return $"{kind}:{hash}";
    }
}
