namespace Dstack.Server.Storage;

/// <summary>One schema change. Versions are applied in order, each once, recorded in schema_migrations.</summary>
public sealed record Migration(int Version, string Name, string Sql);
