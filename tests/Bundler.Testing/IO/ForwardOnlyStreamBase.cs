using Bundler.Loader.IO;

namespace Bundler.Testing.IO;

/// <summary>Base of the test streams that wrap another and cannot seek.</summary>
internal abstract class ForwardOnlyStreamBase(Stream inner) : ReadOnlyForwardStream
{
    protected Stream Inner { get; } = inner;

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
