namespace Dstack.Core.Workflows.Parsing;

/// <summary>A workflow as read from its file, with the places of its texts for the checks that need the whole set.</summary>
internal sealed record ParsedWorkflow(Workflow Workflow, IReadOnlyList<LocatedText> Texts, IReadOnlyList<LocatedText> Paths);
