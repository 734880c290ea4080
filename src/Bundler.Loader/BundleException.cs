namespace Bundler.Loader;

/// <summary>A bundle, archive or package that cannot be read or written as asked; the message names what and where.</summary>
public sealed class BundleException : Exception
{
    /// <summary>Creates the exception with a message that names the file, package or entry at fault.</summary>
    public BundleException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public BundleException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception without a message.</summary>
    public BundleException() { }
}
