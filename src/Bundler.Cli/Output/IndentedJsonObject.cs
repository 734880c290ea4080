using System.Text;
using System.Text.Json;

namespace Bundler.Cli.Output;

/// <summary>Prints one indented JSON object whose properties a command writes by hand, such as around a document it embeds.</summary>
internal static class IndentedJsonObject
{
    public static async Task WriteLineAsync(TextWriter output, Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
