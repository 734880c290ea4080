using Bundler.Loader.IO;

namespace Bundler.Loader.Archives;

/// <summary>A forward-only read stream that charges every byte it returns to an <see cref="ExpansionBudget"/>.</summary>
internal sealed class ExpansionBudgetStream(Stream inner, ExpansionBudget budget) : ReadOnlyForwardStream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        budget.Add(read);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
