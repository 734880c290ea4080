using System.Buffers;
using System.Collections.Concurrent;

namespace Bundler.Loader.IO;

/// <summary>
/// A memory pool of equal blocks that keeps every block given back (up to a bound) for the next rent. A read-ahead
/// buffer rents and returns a block per few reads on different threads; the shared array pool keeps only a few per
/// thread and drops the rest, and the garbage that makes grows the heap by tens of megabytes over a large bundle.
/// </summary>
internal sealed class BlockPool(int blockSize, int maxKept) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<byte[]> _free = new();

    public override int MaxBufferSize => blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockSize);
        return new Block(this, _free.TryDequeue(out var array) ? array : new byte[blockSize]);
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(byte[] array)
    {
        if (_free.Count < maxKept)
        {
            _free.Enqueue(array);
        }
    }

    private sealed class Block(BlockPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                pool.Return(returned);
            }
        }
    }
}
