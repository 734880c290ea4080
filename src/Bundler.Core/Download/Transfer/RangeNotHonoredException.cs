namespace Bundler.Core.Download.Transfer;

/// <summary>The server answered a Range request with the whole body, another range, or 416: continue without ranges.</summary>
internal sealed class RangeNotHonoredException : Exception
{
    public RangeNotHonoredException() : base("The server did not honor a Range request.") { }

    public RangeNotHonoredException(string message) : base(message) { }

    public RangeNotHonoredException(string message, Exception innerException) : base(message, innerException) { }
}
