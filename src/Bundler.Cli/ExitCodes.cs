namespace Bundler.Cli;

/// <summary>The process exit codes, as the README documents them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;
}
