using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MlTutor.Ingestion;

namespace MlTutor.Indexing;

/// <summary>
/// How <see cref="ChunkStore"/> keeps a chunk's <see cref="ChunkStructure"/>: one compact JSON value per chunk, blocks as
/// <c>[kind, firstLine, lastLine]</c> (a role fourth when there is one), items as objects:
/// <c>{"blocks":[["heading",0,0],["paragraph",2,2,"qaQuestion"],["paragraph",4,5,"qaAnswer"]],
/// "items":[{"id":"section:…","kind":"section","headingPath":"…","lines":[0,5]},{"id":"qa:…","kind":"qaPair","headingPath":"…","question":"…","lines":[2,5],
/// "keyPoints":[{"text":"…","lines":[14,15]}]}]}</c>; a question's key points are placed by the note's lines.
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
                if (i.KeyPoints.Count > 0) WriteKeyPoints(json, i.KeyPoints);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary><c>"keyPoints":[{"text","context"?,"lines":[start,end],"items"?:[…]}]</c>, lines of the note.</summary>
    private static void WriteKeyPoints(Utf8JsonWriter json, IReadOnlyList<ItemKeyPoint> keyPoints)
    {
        json.WriteStartArray("keyPoints");
        foreach (var k in keyPoints)
        {
            json.WriteStartObject();
            json.WriteString("text", k.Text);
            if (k.Context is not null) json.WriteString("context", k.Context);
            json.WriteStartArray("lines");
            json.WriteNumberValue(k.StartLine);
            json.WriteNumberValue(k.EndLine);
            json.WriteEndArray();
            if (k.Items.Count > 0)
            {
                json.WriteStartArray("items");
                foreach (var item in k.Items) json.WriteStringValue(item);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// The structure from its JSON. Every chunk's is read when an index is opened (before a question is answered), so it is
    /// read forward with <see cref="Utf8JsonReader"/> and the names looked up in tables, which took a cold question a
    /// tenth of the time a document model with generic enum parsing took.
    /// </summary>
    /// <exception cref="FormatException">The text is not a structure this version wrote.</exception>
    public static ChunkStructure Read(string text)
    {
        try
        {
            var json = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
            List<ChunkBlock>? blocks = null;
            List<NoteItem>? items = null;
            Expect(ref json, JsonTokenType.StartObject);
            while (Next(ref json) == JsonTokenType.PropertyName)
            {
                var property = json.GetString();
                Next(ref json);
                switch (property)
                {
                    case "blocks": blocks = ReadList(ref json, ReadBlock); break;
                    case "items": items = ReadList(ref json, ReadItem); break;
                    default: json.Skip(); break;
                }
            }
            return new ChunkStructure(blocks ?? throw Missing("blocks"), items ?? throw Missing("items"));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"not a chunk structure ({e.Message})", e);
        }
    }

    private delegate T ElementReader<out T>(ref Utf8JsonReader json);

    /// <summary>An array's elements, the reader on its start.</summary>
    private static List<T> ReadList<T>(ref Utf8JsonReader json, ElementReader<T> read)
    {
        Is(ref json, JsonTokenType.StartArray);
        var list = new List<T>();
        while (Next(ref json) != JsonTokenType.EndArray) list.Add(read(ref json));
        return list;
    }

    /// <summary><c>[kind, firstLine, lastLine]</c> with an optional role fourth, the reader on its start.</summary>
    private static ChunkBlock ReadBlock(ref Utf8JsonReader json)
    {
        Is(ref json, JsonTokenType.StartArray);
        Expect(ref json, JsonTokenType.String);
        var kind = Lookup(BlockKinds, json.GetString());
        Expect(ref json, JsonTokenType.Number);
        var first = json.GetInt32();
        Expect(ref json, JsonTokenType.Number);
        var last = json.GetInt32();
        var role = BlockRole.None;
        if (Next(ref json) == JsonTokenType.String)
        {
            role = Lookup(BlockRoles, json.GetString());
            Next(ref json);
        }
        Is(ref json, JsonTokenType.EndArray);
        return new ChunkBlock(kind, first, last, role);
    }

    /// <summary><c>{"id","kind","headingPath","question"?,"lines":[first,last]}</c>, the reader on its start.</summary>
    private static NoteItem ReadItem(ref Utf8JsonReader json)
    {
        Is(ref json, JsonTokenType.StartObject);
        string? id = null, kind = null, headingPath = null, question = null;
        int[]? lines = null;
        List<ItemKeyPoint> keyPoints = [];
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            var property = json.GetString();
            Next(ref json);
            switch (property)
            {
                case "id": id = json.GetString(); break;
                case "kind": kind = json.GetString(); break;
                case "headingPath": headingPath = json.GetString(); break;
                case "question": question = json.GetString(); break;
                case "lines": lines = ReadLines(ref json); break;
                case "keyPoints": keyPoints = ReadList(ref json, ReadKeyPoint); break;
                default: json.Skip(); break;
            }
        }
        if (lines is not [var first, var last]) throw Missing("lines");
        return new NoteItem(id ?? throw Missing("id"), Lookup(ItemKinds, kind ?? throw Missing("kind")),
            headingPath ?? throw Missing("headingPath"), question, first, last) { KeyPoints = keyPoints };
    }

    /// <summary><c>{"text","context"?,"lines":[start,end],"items"?:[…]}</c>, the reader on its start.</summary>
    private static ItemKeyPoint ReadKeyPoint(ref Utf8JsonReader json)
    {
        Is(ref json, JsonTokenType.StartObject);
        string? text = null, context = null;
        int[]? lines = null;
        List<string> items = [];
        while (Next(ref json) == JsonTokenType.PropertyName)
        {
            var property = json.GetString();
            Next(ref json);
            switch (property)
            {
                case "text": text = json.GetString(); break;
                case "context": context = json.GetString(); break;
                case "lines": lines = ReadLines(ref json); break;
                case "items": items = ReadList(ref json, static (ref Utf8JsonReader j) => j.GetString() ?? throw Missing("item")); break;
                default: json.Skip(); break;
            }
        }
        if (lines is not [var start, var end]) throw Missing("lines");
        if (start < 1 || end < start) throw new JsonException($"key point lines [{start},{end}] are no lines of a note");
        return new ItemKeyPoint(text ?? throw Missing("text"), context, start, end, items);
    }

    private static int[] ReadLines(ref Utf8JsonReader json) => [.. ReadList(ref json, static (ref Utf8JsonReader j) => j.GetInt32())];

    private static JsonTokenType Next(ref Utf8JsonReader json) =>
        json.Read() ? json.TokenType : throw new JsonException("the text ends too early");

    private static void Expect(ref Utf8JsonReader json, JsonTokenType token)
    {
        Next(ref json);
        Is(ref json, token);
    }

    private static void Is(ref Utf8JsonReader json, JsonTokenType token)
    {
        if (json.TokenType != token) throw new JsonException($"{token} expected, {json.TokenType} found");
    }

    private static JsonException Missing(string property) => new($"no \"{property}\"");

    private static readonly Dictionary<string, BlockKind> BlockKinds = Names<BlockKind>();
    private static readonly Dictionary<string, BlockRole> BlockRoles = Names<BlockRole>();
    private static readonly Dictionary<string, ItemKind> ItemKinds = Names<ItemKind>();

    private static Dictionary<string, T> Names<T>() where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(Name, StringComparer.OrdinalIgnoreCase);

    private static T Lookup<T>(Dictionary<string, T> names, string? name) where T : struct, Enum =>
        name is not null && names.TryGetValue(name, out var value) ? value : throw new JsonException($"unknown {typeof(T).Name} \"{name}\"");

    private static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
