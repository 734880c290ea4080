using System.Globalization;
using System.Xml.Linq;
using Bundler.Serving.Network;

namespace Bundler.Comparison.Report;

/// <summary>
/// Renders a <see cref="ComparisonReport"/> as one self-contained HTML page: inline CSS and SVG, no scripts, no fonts,
/// no external requests. The page is built as XML so it is always well formed and every value is escaped.
/// </summary>
internal static class HtmlReport
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] ModeColors = ["#2e86de", "#e67e22", "#8e44ad", "#16a085"];

    private const double LabelWidth = 300;
    private const double PlotWidth = 640;
    private const double RowHeight = 16;
    private const double AxisHeight = 22;

    private const string Style = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; padding: 0 12px; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 18px 0 4px; }
        .lead, .network { color: #555; margin-top: 0; }
        table { border-collapse: collapse; margin: 8px 0 12px; }
        th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #eee; }
        th:first-child, td:first-child { text-align: left; }
        .best { font-weight: 600; }
        svg text { font: 11px system-ui, sans-serif; fill: #333; }
        svg .axis { stroke: #ccc; stroke-width: 1; }
        svg .wall { stroke: #c0392b; stroke-width: 1.5; stroke-dasharray: 4 3; }
        .legend span { display: inline-block; margin-right: 16px; }
        .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; }
        """;

    public static string Render(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var modes = report.Scenarios.SelectMany(s => s.Modes.Select(m => m.Mode)).Distinct().ToList();
        var body = new XElement("body",
            new XElement("h1", "Bundle or many files?"),
            new XElement("p", new XAttribute("class", "lead"),
                $"{report.PackageSet}: {report.Packages} packages, bundle {Size(report.BundleBytes)}, original archives {Size(report.ArchiveBytes)}. " +
                $"Each mode ran {report.RunsPerMode} times per scenario, cold, in alternation. Created {report.Created.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}."),
            new XElement("h2", "Median wall time"),
            Legend(modes.Select(m => (m, ColorOf(modes, m)))),
            WallTimeChart(report.Scenarios, modes));

        foreach (var scenario in report.Scenarios)
        {
            body.Add(ScenarioSection(scenario, modes));
        }

        body.Add(new XElement("h2", "Reading the waterfalls"),
            new XElement("p", "One row per request, as the server saw it, on the run's clock. Light: waiting for the first byte (latency and server time). " +
                "Colored: transfer. Green: work the loader still did after the last byte of that response (unpacking and verifying). " +
                "The dashed red line is the run's wall time."),
            Legend([("waiting", "#c8d6e5"), ("transfer", "#2e86de"), ("unpack after last byte", "#10ac84")]));

        var html = new XElement("html", new XAttribute("lang", "en"),
            new XElement("head",
                new XElement("meta", new XAttribute("charset", "utf-8")),
                new XElement("meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                new XElement("title", $"Bundle or many files? {report.PackageSet}"),
                new XElement("style", Style)),
            body);
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.None) + "\n";
    }

    private static XElement ScenarioSection(ComparisonScenario scenario, List<string> modes)
    {
        var statistics = scenario.Modes;
        var fastest = statistics.MinBy(m => m.Median)?.Mode;
        var table = new XElement("table",
            new XElement("tr", Cells("th", "mode", "median", "min", "max", "bytes", "requests", "connections", "vs files", "vs link")));
        foreach (var mode in statistics)
        {
            var run = mode.MedianRun;
            var speedup = scenario.SpeedupOverFiles(mode);
            var row = new XElement("tr", Cells("td",
                mode.Mode, Seconds(mode.Median), Seconds(mode.Min), Seconds(mode.Max), Size(run.Bytes),
                run.Requests.ToString(CultureInfo.InvariantCulture), run.Connections.ToString(CultureInfo.InvariantCulture),
                Ratio(speedup), Ratio(scenario.OverLinkLimit(mode))));
            if (mode.Mode == fastest)
            {
                row.Add(new XAttribute("class", "best"));
            }

            table.Add(row);
        }

        var section = new XElement("section", new XAttribute("id", Slug(scenario.Title)),
            new XElement("h2", scenario.Title),
            new XElement("p", new XAttribute("class", "network"), scenario.Network),
            table);
        var scale = statistics.Select(m => Math.Max(m.MedianRun.Wall.TotalSeconds, m.MedianRun.Waterfall.Select(r => r.Unpacked.TotalSeconds).DefaultIfEmpty().Max())).DefaultIfEmpty(1).Max();
        foreach (var mode in statistics)
        {
            var run = mode.MedianRun;
            section.Add(new XElement("h3", $"{mode.Mode}: median run {Seconds(run.Wall)}, {Count(run.Requests, "request")}, {Count(run.Connections, "connection")}"));
            section.Add(Waterfall(run, scale, ColorOf(modes, mode.Mode)));
        }

        return section;
    }

    private static XElement Waterfall(ComparisonRun run, double scaleSeconds, string transferColor)
    {
        var height = AxisHeight + (run.Waterfall.Count * RowHeight) + 6;
        var svg = SvgRoot(LabelWidth + PlotWidth + 20, height, "waterfall");
        AddTimeAxis(svg, scaleSeconds, height);
        var y = AxisHeight;
        foreach (var row in run.Waterfall)
        {
            var group = new XElement(Svg + "g", new XAttribute("class", "request"),
                new XElement(Svg + "title", string.Create(CultureInfo.InvariantCulture,
                    $"{row.Label}: {row.Status}, {Size(row.Bytes)}; sent {Ms(row.Start)}, first byte {Ms(row.FirstByte)}, done {Ms(row.End)}, unpacked {Ms(row.Unpacked)}")),
                Text(4, y + 11, Truncate(row.Label, 44)));
            group.Add(Bar(row.Start, row.FirstByte, y, scaleSeconds, "#c8d6e5"));
            group.Add(Bar(row.FirstByte, row.End, y, scaleSeconds, transferColor));
            if (row.Unpacked > row.End)
            {
                group.Add(Bar(row.End, row.Unpacked, y, scaleSeconds, "#10ac84"));
            }

            svg.Add(group);
            y += RowHeight;
        }

        var wallX = X(run.Wall.TotalSeconds, scaleSeconds);
        svg.Add(new XElement(Svg + "line", new XAttribute("class", "wall"), Attr("x1", wallX), Attr("x2", wallX), Attr("y1", AxisHeight - 4), Attr("y2", height)));
        return svg;
    }

    private static XElement WallTimeChart(IReadOnlyList<ComparisonScenario> scenarios, List<string> modes)
    {
        var rows = scenarios.SelectMany(s => s.Modes.Select(m => (Scenario: s, Mode: m))).ToList();
        var scale = rows.Select(r => r.Mode.Max.TotalSeconds).DefaultIfEmpty(1).Max();
        var gap = 8.0;
        var height = AxisHeight + (rows.Count * (RowHeight + 2)) + (scenarios.Count * gap) + 6;
        var svg = SvgRoot(LabelWidth + PlotWidth + 20, height, "wall-times");
        AddTimeAxis(svg, scale, height);
        var y = AxisHeight;
        foreach (var scenario in scenarios)
        {
            foreach (var mode in scenario.Modes)
            {
                var x0 = LabelWidth;
                var x1 = X(mode.Median.TotalSeconds, scale);
                svg.Add(new XElement(Svg + "g", new XAttribute("class", "wall-time"),
                    new XElement(Svg + "title", $"{scenario.Title} {mode.Mode}: median {Seconds(mode.Median)} (min {Seconds(mode.Min)}, max {Seconds(mode.Max)})"),
                    Text(4, y + 11, $"{scenario.Title} · {mode.Mode}"),
                    Rect(x0, y + 1, Math.Max(1, x1 - x0), RowHeight - 3, ColorOf(modes, mode.Mode)),
                    new XElement(Svg + "line", new XAttribute("class", "axis"), new XAttribute("stroke", "#333"),
                        Attr("x1", X(mode.Min.TotalSeconds, scale)), Attr("x2", X(mode.Max.TotalSeconds, scale)), Attr("y1", y + 7), Attr("y2", y + 7)),
                    Text(x1 + 4, y + 11, Seconds(mode.Median))));
                y += RowHeight + 2;
            }

            y += gap;
        }

        return svg;
    }

    private static void AddTimeAxis(XElement svg, double scaleSeconds, double height)
    {
        var step = NiceStep(scaleSeconds / 8);
        for (var t = 0.0; t <= scaleSeconds * 1.0001; t += step)
        {
            var x = X(t, scaleSeconds);
            svg.Add(new XElement(Svg + "line", new XAttribute("class", "axis"), Attr("x1", x), Attr("x2", x), Attr("y1", AxisHeight - 4), Attr("y2", height)));
            svg.Add(Text(x + 2, 12, string.Create(CultureInfo.InvariantCulture, $"{t:0.###} s")));
        }
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        return magnitude * (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10);
    }

    private static double X(double seconds, double scaleSeconds) =>
        LabelWidth + (scaleSeconds <= 0 ? 0 : Math.Clamp(seconds / scaleSeconds, 0, 1) * PlotWidth);

    private static XElement Bar(TimeSpan from, TimeSpan to, double y, double scaleSeconds, string color)
    {
        var x0 = X(from.TotalSeconds, scaleSeconds);
        var x1 = X(to.TotalSeconds, scaleSeconds);
        return Rect(x0, y + 2, Math.Max(1, x1 - x0), RowHeight - 4, color);
    }

    private static XElement SvgRoot(double width, double height, string cssClass) =>
        new(Svg + "svg", new XAttribute("class", cssClass), Attr("width", width), Attr("height", height),
            new XAttribute("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width:0.#} {height:0.#}")),
            new XAttribute("role", "img"));

    private static XElement Rect(double x, double y, double width, double height, string color) =>
        new(Svg + "rect", Attr("x", x), Attr("y", y), Attr("width", width), Attr("height", height), new XAttribute("fill", color));

    private static XElement Text(double x, double y, string text) =>
        new(Svg + "text", Attr("x", x), Attr("y", y), text);

    private static XAttribute Attr(string name, double value) =>
        new(name, Math.Round(value, 1).ToString(CultureInfo.InvariantCulture));

    private static XElement Legend(IEnumerable<(string Label, string Color)> entries) =>
        new("p", new XAttribute("class", "legend"),
            entries.Select(e => new XElement("span",
                new XElement("span", new XAttribute("class", "swatch"), new XAttribute("style", "background:" + e.Color), ""),
                e.Label)));

    private static IEnumerable<XElement> Cells(string tag, params string[] values) => values.Select(v => new XElement(tag, v));

    private static string ColorOf(List<string> modes, string mode) => ModeColors[Math.Max(0, modes.IndexOf(mode)) % ModeColors.Length];

    private static string Slug(string title) => new([.. title.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static string Truncate(string text, int length) => text.Length <= length ? text : "…" + text[^(length - 1)..];

    private static string Ratio(double? ratio) => ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:0.00}×") : "–";

    private static string Seconds(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.000} s");

    private static string Ms(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0} ms");

    private static string Size(long bytes) => ByteSize.Format(bytes);

    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}
