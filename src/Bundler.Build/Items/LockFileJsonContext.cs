using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bundler.Core.Resolution.Locking;

namespace Bundler.Build.Items;

/// <summary>Source-generated JSON for <see cref="BundleLockFile"/>: indented, camelCase, '+' in integrity strings kept as is.</summary>
[JsonSerializable(typeof(BundleLockFile))]
internal sealed partial class LockFileJsonContext : JsonSerializerContext
{
    public static LockFileJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
