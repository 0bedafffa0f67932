using System.Reflection;
using MlTutor.Ingestion;
using NetArchTest.Rules;

namespace MlTutor.Tests;

/// <summary>
/// The engine is one namespace per stage, in pipeline order, and a stage uses only earlier stages: Ingestion knows
/// nothing of embeddings, Indexing nothing of how its indexes are searched, and so on. The engine is also host-neutral:
/// the console libraries belong to the console project alone.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>The stages in pipeline order; Tutoring is the facade the hosts use.</summary>
    public static readonly string[] Stages =
    [
        "MlTutor.Ingestion",
        "MlTutor.Embedding",
        "MlTutor.Indexing",
        "MlTutor.Retrieval",
        "MlTutor.Answering",
        "MlTutor.Tutoring",
    ];

    /// <summary>What every stage may use: the failure type with its remedy kinds. It uses no stage itself.</summary>
    private const string Foundation = "MlTutor";

    private static readonly string[] ConsoleLibraries = ["Spectre.Console", "System.CommandLine"];

    private static readonly Assembly Engine = typeof(Chunk).Assembly;

    public static TheoryData<string> StagesWithLaterOnes()
    {
        var data = new TheoryData<string>();
        foreach (var stage in Stages[..^1])
            data.Add(stage);
        return data;
    }

    [Theory]
    [MemberData(nameof(StagesWithLaterOnes))]
    public void A_stage_uses_no_later_stage(string stage)
    {
        var later = Stages[(Array.IndexOf(Stages, stage) + 1)..];
        // One rule per later stage, so that the message says which stage each offending type reaches into.
        var offences = new List<string>();
        foreach (var laterStage in later)
        {
            var result = Types.InAssembly(Engine)
                .That().ResideInNamespace(stage)
                .ShouldNot().HaveDependencyOn(laterStage)
                .GetResult();
            if (!result.IsSuccessful)
                offences.AddRange(result.FailingTypeNames.Select(type => $"{type} uses {laterStage}"));
        }
        Assert.True(offences.Count == 0,
            $"{stage} may use only earlier stages; these of its types use a later one:\n  "
            + string.Join("\n  ", offences.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Every_engine_type_lives_in_a_stage()
    {
        // A type outside the stages (a new namespace) would escape the rule above.
        var outside = Engine.GetTypes()
            .Where(t => t.Namespace is { } ns && ns.StartsWith("MlTutor.", StringComparison.Ordinal))
            .Where(t => !Stages.Any(stage => t.Namespace == stage || t.Namespace!.StartsWith(stage + ".", StringComparison.Ordinal)))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(outside.Count == 0,
            "These engine types are in no stage's namespace (put them in one, or add their stage to ArchitectureTests.Stages in pipeline order):\n  "
            + string.Join("\n  ", outside));
        foreach (var stage in Stages)
            Assert.True(Engine.GetTypes().Any(t => t.Namespace == stage), $"No engine type is in {stage}: is the stage list out of date?");
    }

    [Fact]
    public void The_foundation_uses_no_stage()
    {
        var offences = Types.InAssembly(Engine)
            .That().ResideInNamespaceMatching("^MlTutor$")
            .ShouldNot().HaveDependencyOnAny(Stages)
            .GetResult();
        Assert.True(offences.IsSuccessful,
            $"The types of the root namespace {Foundation} are used by every stage and may use none:\n  "
            + string.Join("\n  ", offences.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_engine_does_not_use_the_console_libraries()
    {
        var referenced = Engine.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => ConsoleLibraries.Any(lib => name == lib || name.StartsWith(lib + ".", StringComparison.Ordinal)))
            .ToList();
        Assert.True(referenced.Count == 0,
            $"The engine references {string.Join(", ", referenced)}; only the console project (MlTutor.Cli) may.");

        var result = Types.InAssembly(Engine).ShouldNot().HaveDependencyOnAny(ConsoleLibraries).GetResult();
        Assert.True(result.IsSuccessful,
            "These engine types use a console library, which only the console project (MlTutor.Cli) may:\n  "
            + string.Join("\n  ", result.FailingTypeNames ?? []));
    }
}
