namespace MlTutor.Ingestion;

/// <summary>
/// A single line longer than the encoder reads (a long formula, a paragraph without line breaks) cannot be cut:
/// a chunk is whole lines. It becomes several chunks that all cite the line, each embedding one consecutive part
/// of it and storing only that part as its text, so the index grows with the line, not with the line times its
/// parts. At most <see cref="ChunkerOptions.MaxLineParts"/> parts are made; the line is only read that far.
/// </summary>
internal sealed class LongLineWindows(ChunkerOptions options, string file, IReadOnlyList<string> lines, PieceCounter pieces,
    ChunkMaker maker, ICollection<IngestionWarning> warnings)
{
    /// <summary>The chunks of the parts of line <paramref name="line"/>, each embedded after <paramref name="prefix"/>.</summary>
    public List<Chunk> Of(int line, string headingPath, string prefix)
    {
        var chunks = new List<Chunk>();
        var text = lines[line - 1];
        var budget = options.MaxPieces - 2 - pieces.Of(prefix);
        var atoms = new LineAtoms(text, pieces.Of);
        var a = 0;
        while (atoms.Has(a) && chunks.Count < options.MaxLineParts)
        {
            var (chunk, b) = Part(line, headingPath, prefix, atoms, a, budget, chunks.Count + 1);
            if (chunk.Tokens <= options.MaxPieces)
                chunks.Add(chunk);
            a = b;
        }
        if (atoms.Has(a))
            warnings.Add(new IngestionWarning(file, line,
                $"line is longer than the encoder reads; only its first {chunks.Count} parts (up to character {atoms[a].Start} of {text.Length}) are embedded, each citing the whole line; break the line to have all of it found"));
        else
            warnings.Add(new IngestionWarning(file, line,
                $"line is longer than the encoder reads ({pieces.OfLine(line)} word pieces); embedded in {chunks.Count} parts that each cite the whole line"));
        return chunks;
    }

    /// <summary>The chunk of the part that starts at atom <paramref name="a"/>, and the atom after it. Greedy on per-atom
    /// estimates, then checked with the real count and backed off if needed; a part of one atom is taken as it is.</summary>
    private (Chunk Chunk, int Next) Part(int line, string headingPath, string prefix, LineAtoms atoms, int a, int budget, int part)
    {
        var text = lines[line - 1];
        var b = a;
        var est = 0;
        while (atoms.Has(b) && est + atoms[b].Cost <= budget) { est += atoms[b].Cost; b++; }
        if (b == a) b = a + 1; // an atom is at most 16 characters: it always fits an empty window
        while (true)
        {
            var stopAt = atoms.Has(b) ? atoms[b].Start : text.Length;
            var own = text[atoms[a].Start..stopAt].Trim();
            var chunk = maker.Make(line, line, headingPath, prefix, own, part, own);
            if (chunk.Tokens <= options.MaxPieces || b == a + 1) return (chunk, b);
            b--;
        }
    }
}
