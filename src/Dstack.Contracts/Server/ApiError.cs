namespace Dstack.Contracts.Server;

/// <summary>The body of every non-2xx answer: a message meant for the user.</summary>
public sealed record ApiError(string Error);
