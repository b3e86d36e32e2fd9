using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetMarket.Tests.Builders;

/// <summary>The buyer API's JSON as a client reads it: web defaults, enums by name ("status":"Completed").</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };
}
