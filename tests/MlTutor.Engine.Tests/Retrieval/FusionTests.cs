using Xunit;
using MlTutor.Indexing;
using MlTutor.Ingestion;
using MlTutor.Retrieval;

namespace MlTutor.Tests.Retrieval;

public sealed class FusionTests
{
    // Dense: a .9, b .5, c .1   Keyword: c 10, a 6, d 2
    private static readonly (string, float)[] Dense = [("a", 0.9f), ("b", 0.5f), ("c", 0.1f)];
    private static readonly (string, float)[] Keyword = [("c", 10f), ("a", 6f), ("d", 2f)];

    private static string[] Order(IReadOnlyList<(string Id, float Score)> fused) => fused.Select(f => f.Id).ToArray();

    [Fact]
    public void Reciprocal_rank_fusion_sums_reciprocal_ranks()
    {
        var fused = ScoreFusion.Fuse(Dense, Keyword, new HybridOptions { Method = FusionMethod.ReciprocalRank, DenseWeight = 1, KeywordWeight = 1, RrfK = 60 });
        Assert.Equal(["a", "c", "b", "d"], Order(fused));
        Assert.Equal(1 / 61.0 + 1 / 62.0, fused[0].Score, 6);
        Assert.Equal(1 / 63.0 + 1 / 61.0, fused[1].Score, 6);
        Assert.Equal(1 / 62.0, fused[2].Score, 6);
        Assert.Equal(1 / 63.0, fused[3].Score, 6);
    }

    [Fact]
    public void Convex_min_max_fusion_follows_the_weight()
    {
        // Normalised: dense a 1, b .5, c 0; keyword c 1, a .5, d 0; missing = 0.
        var even = ScoreFusion.Fuse(Dense, Keyword, new HybridOptions { Method = FusionMethod.ConvexMinMax, DenseWeight = 0.5f });
        Assert.Equal(["a", "c", "b", "d"], Order(even));
        Assert.Equal([0.75f, 0.5f, 0.25f, 0f], even.Select(f => f.Score).ToArray());

        var keywordHeavy = ScoreFusion.Fuse(Dense, Keyword, new HybridOptions { Method = FusionMethod.ConvexMinMax, DenseWeight = 0.2f });
        Assert.Equal(["c", "a", "b", "d"], Order(keywordHeavy));
        Assert.Equal(0.8f, keywordHeavy[0].Score, 5);
        Assert.Equal(0.6f, keywordHeavy[1].Score, 5);
    }

    [Fact]
    public void Convex_z_score_fusion_uses_standardised_scores()
    {
        var fused = ScoreFusion.Fuse(Dense, Keyword, new HybridOptions { Method = FusionMethod.ConvexZScore, DenseWeight = 0.5f });
        // Both lists are evenly spaced, so z = +1.2247, 0, -1.2247 by rank; missing = the list's lowest z.
        var z = Math.Sqrt(1.5);
        var expected = new Dictionary<string, double>
        {
            ["a"] = 0.5 * z + 0.5 * 0, ["c"] = 0.5 * -z + 0.5 * z, ["b"] = 0.5 * 0 + 0.5 * -z, ["d"] = 0.5 * -z + 0.5 * -z,
        };
        Assert.Equal(["a", "c", "b", "d"], Order(fused));
        foreach (var (id, score) in fused)
            Assert.Equal(expected[id], score, 4);
    }

    [Theory]
    [InlineData(FusionMethod.ReciprocalRank)]
    [InlineData(FusionMethod.ConvexMinMax)]
    [InlineData(FusionMethod.ConvexZScore)]
    public void A_document_heading_both_lists_heads_the_fusion_and_single_list_documents_stay(FusionMethod method)
    {
        (string, float)[] dense = [("top", 0.8f), ("x", 0.7f), ("y", 0.6f)];
        (string, float)[] keyword = [("top", 12f), ("y", 11.9f), ("onlyKeyword", 3f)];
        var fused = ScoreFusion.Fuse(dense, keyword, new HybridOptions { Method = method });
        Assert.Equal("top", fused[0].Id);
        Assert.Equal(["onlyKeyword", "top", "x", "y"], fused.Select(f => f.Id).Order(StringComparer.Ordinal).ToArray());
        Assert.True(fused.Zip(fused.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Ties_are_broken_by_the_better_single_list_rank()
    {
        // RRF with equal weights: p (dense 1) and q (keyword 1) score the same; so do r and s at rank 2.
        var fused = ScoreFusion.Fuse([("p", 1f), ("r", 0.5f)], [("q", 9f), ("s", 1f)], HybridOptions.Default);
        Assert.Equal(["p", "q", "r", "s"], Order(fused));
    }

    [Fact]
    public void Empty_lists_fuse_to_the_other_list()
    {
        var fused = ScoreFusion.Fuse([], Keyword, new HybridOptions { Method = FusionMethod.ConvexMinMax });
        Assert.Equal(["c", "a", "d"], Order(fused));
        Assert.Empty(ScoreFusion.Fuse([], [], HybridOptions.Default));
    }

    [Fact]
    public void Hybrid_retriever_fuses_a_real_keyword_index_with_a_dense_ranking()
    {
        var chunks = new[]
        {
            new Chunk("gru", "rnn.md", "", 1, 1, "A GRU merges the forget and input gates.", "", 0),
            new Chunk("vanish", "rnn.md", "", 3, 3, "Gating lets gradients flow across many time steps.", "", 0),
            new Chunk("cnn", "cnn.md", "", 1, 1, "Convolutions share weights across positions.", "", 0),
        };
        var dir = TestPaths.NewTempDir("hybrid");
        try
        {
            KeywordIndex.Build(dir, chunks);
            using var index = KeywordIndex.Open(dir);
            var byId = chunks.ToDictionary(c => c.Id);
            // The dense side prefers the paraphrase; keyword search finds the exact name.
            var dense = new FixedRanking([new ScoredChunk(byId["vanish"], 0.62f), new ScoredChunk(byId["cnn"], 0.20f)]);
            var hybrid = new HybridRetriever(dense, new KeywordRetriever(index, byId),
                new HybridOptions { Method = FusionMethod.ConvexMinMax, DenseWeight = 0.4f });
            var search = hybrid.SearchDetailed("What does a GRU do?", 2);
            Assert.Equal(["gru", "vanish"], search.Fused.Select(h => h.Chunk.Id).ToArray());
            Assert.Equal("gru", search.Keyword[0].Chunk.Id);
            Assert.Equal(2, search.Dense.Count);
            Assert.Equal(search.Fused, hybrid.Search("What does a GRU do?", 2));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A dense ranking fixed in advance, standing in for the vector index in fusion tests.</summary>
    private sealed class FixedRanking(IReadOnlyList<ScoredChunk> ranking) : IRetriever
    {
        public IReadOnlyList<ScoredChunk> Search(string query, int k) => ranking.Take(k).ToList();
    }
}
