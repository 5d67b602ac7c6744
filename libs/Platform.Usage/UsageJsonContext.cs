using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Usage;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageRecord))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;
