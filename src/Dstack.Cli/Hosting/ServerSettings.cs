namespace Dstack.Cli.Hosting;

/// <summary>`dstack server [--host H] [--port P] [--home DIR] [--embedded]` as parsed.</summary>
public sealed record ServerSettings(string? Host, int? Port, string? Home, bool Embedded);
