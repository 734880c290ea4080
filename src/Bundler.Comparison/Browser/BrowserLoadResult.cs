namespace Bundler.Comparison.Browser;

/// <summary>What the harness page returns for one load: the loader's report or its refusal, and the Resource Timing of its requests.</summary>
internal sealed record BrowserLoadResult
{
    public bool Ok { get; init; }

    /// <summary>The refusal's message (a BundleError names the URL and what is wrong); null when the load succeeded.</summary>
    public string? Error { get; init; }

    public string? ErrorName { get; init; }

    public int Packages { get; init; }

    public long FileBytes { get; init; }

    public long TransferredBytes { get; init; }

    public double ManifestMs { get; init; }

    public double FirstFileMs { get; init; }

    public double ElapsedMs { get; init; }

    /// <summary>Each file handed over (bundle mode: <c>id/version/path</c>; files mode: the archive's name), when asked for.</summary>
    public IReadOnlyList<BrowserFile> Files { get; init; } = [];

    public IReadOnlyList<BrowserResource> Resources { get; init; } = [];
}

/// <summary>One file the browser loader handed over, with the sha256 the page computed of the bytes it was given.</summary>
internal sealed record BrowserFile(string Path, long Size, string Sha256);

/// <summary>One Resource Timing entry, in milliseconds from the start of the load.</summary>
internal sealed record BrowserResource(string Url, double StartMs, double ResponseStartMs, double ResponseEndMs, string Protocol, long TransferSize, int Status);
