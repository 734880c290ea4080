using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bundler.Testing;

/// <summary>Renders a page in the machine's Chromium without a display, saving a screenshot and collecting console messages.</summary>
public static partial class HeadlessChromium
{
    public static async Task<IReadOnlyList<string>> ScreenshotAsync(string pagePath, string screenshotPath, int width = 1100, int height = 1400)
    {
        var chromium = ExternalTool.Find("chromium") ?? throw new InvalidOperationException("chromium is not on PATH");
        using var profile = new TempDirectory();
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=" + profile.Path, "--enable-logging=stderr", "--v=0",
            $"--window-size={width},{height}", "--screenshot=" + Path.GetFullPath(screenshotPath),
            new Uri(Path.GetFullPath(pagePath)).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        await output;
        return [.. ConsoleLine().Matches(await error).Select(m => m.Value)];
    }

    [GeneratedRegex(@"CONSOLE[^\]]*\].*")]
    private static partial Regex ConsoleLine();
}
