using System.Text.Json.Serialization;

namespace Dstack.Contracts.Logs;

[JsonConverter(typeof(JsonStringEnumConverter<LogStream>))]
public enum LogStream
{
    [JsonStringEnumMemberName("stdout")] Stdout,
    [JsonStringEnumMemberName("stderr")] Stderr,
}
