using Spectre.Console;

namespace Bundler.Cli.Output;

/// <summary>
/// The Spectre.Console console that commands draw tables on. It writes plain text (no ANSI styles) through the
/// command's <see cref="TerminalWriter"/>. Spectre reads a CR as a line break and lays text out before the writer sees
/// it, so text from outside is escaped before it is given to Spectre: <see cref="Cell"/> for table cells,
/// <see cref="TerminalText.Escape"/> for lines.
/// </summary>
internal static class TableConsole
{
    public static IAnsiConsole Create(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (output is TerminalWriter { IsConsoleOut: true } && !Console.IsOutputRedirected)
        {
            console.Profile.Width = Console.WindowWidth;
        }

        return console;
    }

    /// <summary>
    /// A cell's text: escaped for the terminal before the table measures it (so columns line up), then for Spectre's
    /// markup (so a <c>[</c> in a name is not read as a style).
    /// </summary>
    public static string Cell(string text) => Markup.Escape(TerminalText.Escape(text));
}
