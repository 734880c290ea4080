namespace Bundler.Core.Publishing;

/// <summary>The Cache-Control headers a publish gives its objects, so that a CDN in front of the store caches them right.</summary>
public static class CacheControl
{
    /// <summary>Objects named by their digest never change: caches may keep them for a year without asking again.</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>The entry point changes with every publish: caches keep it one minute, so a new publish is seen within one.</summary>
    public const string EntryPoint = "public, max-age=60";
}
