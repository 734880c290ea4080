namespace Bundler.Comparison;

/// <summary>Who loads in a comparison: the .NET loader, or the browser loader in headless Chromium.</summary>
internal enum ComparisonClient
{
    DotNet,
    Browser,
}
