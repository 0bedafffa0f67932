using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>
/// How <see cref="ChunkStore"/> keeps a chunk's <see cref="ChunkStructure"/>: one compact JSON value per chunk, blocks as
/// <c>[kind, firstLine, lastLine]</c> (a role fourth when there is one), items as objects:
/// <c>{"blocks":[["heading",0,0],["paragraph",2,2,"qaQuestion"],["paragraph",4,5,"qaAnswer"]],
/// "items":[{"id":"section:…","kind":"section","headingPath":"…","lines":[0,5]},{"id":"qa:…","kind":"qaPair","headingPath":"…","question":"…","lines":[2,5]}]}</c>.
/// </summary>
internal static class ChunkStructureJson
{
    public static string Write(ChunkStructure structure)
    {
        using var buffer = new MemoryStream();
        // Kept readable: the store is no web page, so "›" and other letters stay as they are rather than \u escapes.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("blocks");
            foreach (var b in structure.Blocks)
            {
                json.WriteStartArray();
                json.WriteStringValue(Name(b.Kind));
                json.WriteNumberValue(b.FirstLine);
                json.WriteNumberValue(b.LastLine);
                if (b.Role != BlockRole.None) json.WriteStringValue(Name(b.Role));
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("items");
            foreach (var i in structure.Items)
            {
                json.WriteStartObject();
                json.WriteString("id", i.Id);
                json.WriteString("kind", Name(i.Kind));
                json.WriteString("headingPath", i.HeadingPath);
                if (i.Question is not null) json.WriteString("question", i.Question);
                json.WriteStartArray("lines");
                json.WriteNumberValue(i.FirstLine);
                json.WriteNumberValue(i.LastLine);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <exception cref="FormatException">The text is not a structure this version wrote.</exception>
    public static ChunkStructure Read(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var blocks = root.GetProperty("blocks").EnumerateArray().Select(b => new ChunkBlock(
                Parse<BlockKind>(b[0]), b[1].GetInt32(), b[2].GetInt32(), b.GetArrayLength() > 3 ? Parse<BlockRole>(b[3]) : BlockRole.None)).ToList();
            var items = root.GetProperty("items").EnumerateArray().Select(i => new NoteItem(
                i.GetProperty("id").GetString()!, Parse<ItemKind>(i.GetProperty("kind")), i.GetProperty("headingPath").GetString()!,
                i.TryGetProperty("question", out var q) ? q.GetString() : null,
                i.GetProperty("lines")[0].GetInt32(), i.GetProperty("lines")[1].GetInt32())).ToList();
            return new ChunkStructure(blocks, items);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or ArgumentException)
        {
            throw new FormatException($"not a chunk structure ({e.Message})", e);
        }
    }

    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static T Parse<T>(JsonElement value) where T : struct, Enum =>
        Enum.TryParse<T>(value.GetString(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new FormatException($"unknown {typeof(T).Name} \"{value.GetString()}\"");
}
