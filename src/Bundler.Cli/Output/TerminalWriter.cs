using System.Text;

namespace Bundler.Cli.Output;

/// <summary>
/// The writer every command prints through (standard output and standard error alike): it escapes control characters
/// with <see cref="TerminalText"/> in everything written, so a name from a hostile archive, manifest or server reaches
/// the terminal as text, whichever command or error message carries it.
/// </summary>
internal sealed class TerminalWriter(TextWriter inner) : TextWriter
{
    /// <summary>The writer that receives the escaped text.</summary>
    public TextWriter Inner { get; } = inner;

    /// <summary>Whether this writes to the process's standard output (which may still be redirected).</summary>
    public bool IsConsoleOut => ReferenceEquals(Inner, Console.Out);

    public override Encoding Encoding => Inner.Encoding;

    public override IFormatProvider FormatProvider => Inner.FormatProvider;

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override string NewLine
    {
        get => Inner.NewLine;
        set => Inner.NewLine = value;
    }

    /// <summary>Wraps <paramref name="writer"/> unless it already is one.</summary>
    public static TerminalWriter Wrap(TextWriter writer) => writer as TerminalWriter ?? new TerminalWriter(writer);

    public override void Write(char value) => Inner.Write(Escape([value]));

    public override void Write(string? value) => Inner.Write(value is null ? null : TerminalText.Escape(value));

    public override void Write(char[] buffer, int index, int count) => Inner.Write(Escape(buffer.AsSpan(index, count)));

    public override void Write(ReadOnlySpan<char> buffer) => Inner.Write(Escape(buffer));

    public override void WriteLine() => Inner.WriteLine();

    public override void WriteLine(string? value) => Inner.WriteLine(value is null ? null : TerminalText.Escape(value));

    public override void WriteLine(ReadOnlySpan<char> buffer) => Inner.WriteLine(Escape(buffer));

    public override Task WriteAsync(char value) => Inner.WriteAsync(Escape([value]));

    public override Task WriteAsync(string? value) => Inner.WriteAsync(value is null ? null : TerminalText.Escape(value));

    public override Task WriteAsync(char[] buffer, int index, int count) => Inner.WriteAsync(Escape(buffer.AsSpan(index, count)));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteAsync(Escape(buffer.Span).AsMemory(), cancellationToken);

    public override Task WriteLineAsync() => Inner.WriteLineAsync();

    public override Task WriteLineAsync(char value) => Inner.WriteLineAsync(Escape([value]));

    public override Task WriteLineAsync(string? value) => Inner.WriteLineAsync(value is null ? null : TerminalText.Escape(value));

    public override Task WriteLineAsync(char[] buffer, int index, int count) => Inner.WriteLineAsync(Escape(buffer.AsSpan(index, count)));

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        Inner.WriteLineAsync(Escape(buffer.Span).AsMemory(), cancellationToken);

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync() => Inner.FlushAsync();

    public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

    private static string Escape(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        TerminalText.Append(builder, text);
        return builder.ToString();
    }
}
