namespace Bundler.Build.Diagnostics;

/// <summary>An expected failure of the build: the tasks log its message as an error with its documented code.</summary>
internal sealed class BundleBuildException : Exception
{
    public BundleBuildException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public BundleBuildException()
        : this(DiagnosticCodes.BundleFailed, "The bundle could not be made.")
    {
    }

    public BundleBuildException(string message)
        : this(DiagnosticCodes.BundleFailed, message)
    {
    }

    public BundleBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = DiagnosticCodes.BundleFailed;
    }

    public string Code { get; }
}
