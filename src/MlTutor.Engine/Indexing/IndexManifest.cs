using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MlTutor.Indexing;

/// <summary>
/// What a generation of the index was built from and with. A generation whose manifest does not match the current
/// settings (model variant, chunking) is rebuilt rather than mixed with new vectors.
/// </summary>
public sealed record IndexManifest(
    int Schema,
    string Model,
    string ModelVariant,
    int Dimension,
    string ChunkingSignature,
    string Source,
    int Files,
    int Chunks,
    DateTimeOffset CreatedUtc,
    IReadOnlyDictionary<string, string>? Checksums = null,
    string? Digest = null)
{
    // Checksums: each file of the generation (path relative to it, '/'-separated) with its content hash (see
    // GenerationCheck); null in a generation written before they were kept.
    // Digest: the hash of the manifest itself (as written without it), so that damage to any of its bytes is found
    // rather than read as other settings or other checksums; null in a manifest written before it was kept.

    /// <summary>2: line windows are embedded and stored beside the chunks. 3: chunks are stored with their structure
    /// (blocks and item ids, see <see cref="Ingestion.ChunkStructure"/>).</summary>
    public const int CurrentSchema = 3;
    public const string FileName = "manifest.json";

    // Generated at build time: every command reads a manifest, and reflection would first build its serializer at run time.
    private static JsonTypeInfo<IndexManifest> Json => IndexManifestJson.Default.IndexManifest;

    /// <summary>True when vectors and chunks of this generation can be reused under <paramref name="other"/>'s settings.</summary>
    public bool IsCompatibleWith(IndexManifest other) =>
        Schema == other.Schema && Model == other.Model && ModelVariant == other.ModelVariant
        && Dimension == other.Dimension && ChunkingSignature == other.ChunkingSignature;

    /// <summary>The manifest as written, with its digest.</summary>
    public string ToJson() => JsonSerializer.Serialize(this with { Digest = DigestOf(this) }, Json);

    private static string DigestOf(IndexManifest manifest) =>
        "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest with { Digest = null }, Json))));

    /// <summary>The manifest in the file <paramref name="path"/>.</summary>
    /// <exception cref="IndexCorruptException">The file is not a manifest, or not the one that was written.</exception>
    public static IndexManifest Read(string path)
    {
        IndexManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<IndexManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new IndexCorruptException($"{path} is damaged (not a manifest: {e.Message})", e);
        }
        if (manifest is null) throw new IndexCorruptException($"{path} is empty");
        // Reading and writing again gives the bytes that were hashed: a record of strings, numbers and a dictionary kept
        // in the file's order.
        if (manifest.Digest is not null && manifest.Digest != DigestOf(manifest))
            throw new IndexCorruptException($"{path} does not match its own checksum: it was changed or damaged");
        return manifest;
    }
}

/// <summary>The manifest's JSON form: indented, with camel-case names.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IndexManifest))]
internal sealed partial class IndexManifestJson : JsonSerializerContext;

/// <summary>The index folder exists but cannot be read; the message says how to fix it.</summary>
public sealed class IndexCorruptException : TutorException
{
    public IndexCorruptException(string message, Exception? inner = null) : base(message, Remedy.RebuildIndex, inner) { }

    /// <param name="indexDirectory">The index folder to rebuild.</param>
    public IndexCorruptException(string message, string indexDirectory, Exception? inner = null)
        : base(message, Remedy.RebuildIndex, inner, indexDirectory) { }
}
