using Microsoft.AspNetCore.Http;

namespace Bundler.Serving.Faults;

/// <summary>
/// Stands in for a response body and breaks it as a <see cref="Fault"/> says once <see cref="Fault.AtByte"/> bytes
/// (default: half the Content-Length) have gone out: aborts the connection, drops the rest, stalls, drips the rest a
/// byte at a time, or flips a byte.
/// <paramref name="onStrike"/> runs when it does; a body that ends before that point goes out untouched.
/// </summary>
internal sealed class FaultyBodyStream(Stream inner, HttpContext context, Fault fault, Action onStrike) : WriteOnlyStream(inner)
{
    private long _written;
    private long? _strikeAt;
    private bool _struck;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _strikeAt ??= fault.AtByte ?? (context.Response.ContentLength ?? 0) / 2;
        if (_struck)
        {
            if (fault.Kind == FaultKind.DripBody)
            {
                await DripAsync(buffer, cancellationToken);
                return;
            }

            if (fault.Kind == FaultKind.WrongBytes)
            {
                await Inner.WriteAsync(buffer, cancellationToken);
            }

            _written += buffer.Length;
            return;
        }

        var before = (int)Math.Clamp(_strikeAt.Value - _written, 0, buffer.Length);
        if (before == buffer.Length && _written + before < _strikeAt)
        {
            await Inner.WriteAsync(buffer, cancellationToken);
            _written += buffer.Length;
            return;
        }

        await Inner.WriteAsync(buffer[..before], cancellationToken);
        _written += before;
        var rest = buffer[before..];
        if (rest.IsEmpty && fault.Kind == FaultKind.WrongBytes)
        {
            return;
        }

        _struck = true;
        onStrike();
        switch (fault.Kind)
        {
            case FaultKind.WrongBytes:
                var changed = rest.ToArray();
                if (changed.Length > 0)
                {
                    changed[0] ^= 0xFF;
                }

                await Inner.WriteAsync(changed, cancellationToken);
                _written += changed.Length;
                break;
            case FaultKind.TruncatedBody:
                // Swallow the rest: the response ends short of its Content-Length.
                await Inner.FlushAsync(cancellationToken);
                _written += rest.Length;
                break;
            case FaultKind.DripBody:
                await DripAsync(rest, cancellationToken);
                break;
            case FaultKind.StallBody:
                await Inner.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(fault.StallFor, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }

                context.Abort();
                throw new OperationCanceledException("Injected stall ended.");
            default:
                await Inner.FlushAsync(cancellationToken);
                context.Abort();
                throw new OperationCanceledException("Injected reset.");
        }
    }

    private async Task DripAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            await Task.Delay(fault.DripEvery, context.RequestAborted);
            await Inner.WriteAsync(bytes.Slice(i, 1), cancellationToken);
            await Inner.FlushAsync(cancellationToken);
            _written++;
        }
    }
}
