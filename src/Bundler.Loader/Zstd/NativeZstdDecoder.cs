using System.Runtime.InteropServices;

namespace Bundler.Loader.Zstd;

/// <summary>
/// Decodes zstd frames with the machine's libzstd when there is one (Debian's libzstd1, Homebrew's zstd, ...):
/// native decoding needs no JIT warm-up and runs about twice as fast as the managed decoder. Decoding is exact
/// whichever decoder runs, so this changes speed only; set BUNDLER_NATIVE_ZSTD=0 to always use the managed one.
/// </summary>
internal static unsafe class NativeZstdDecoder
{
    private const ulong ContentSizeUnknown = ulong.MaxValue;
    private const ulong ContentSizeError = ulong.MaxValue - 1;

    private static readonly delegate* unmanaged<nint> s_createDCtx;
    private static readonly delegate* unmanaged<nint, void*, nuint, void*, nuint, nuint> s_decompressDCtx;
    private static readonly delegate* unmanaged<void*, nuint, ulong> s_getFrameContentSize;
    private static readonly delegate* unmanaged<nuint, uint> s_isError;
    private static readonly delegate* unmanaged<nuint, byte*> s_getErrorName;

    [ThreadStatic] private static nint t_context;

    static NativeZstdDecoder()
    {
        if (Environment.GetEnvironmentVariable("BUNDLER_NATIVE_ZSTD") == "0")
        {
            return;
        }

        string[] names = ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib", "libzstd.dylib", "libzstd.dll", "zstd.dll"];
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, out var library)
                && NativeLibrary.TryGetExport(library, "ZSTD_createDCtx", out var create)
                && NativeLibrary.TryGetExport(library, "ZSTD_decompressDCtx", out var decompress)
                && NativeLibrary.TryGetExport(library, "ZSTD_getFrameContentSize", out var contentSize)
                && NativeLibrary.TryGetExport(library, "ZSTD_isError", out var isError)
                && NativeLibrary.TryGetExport(library, "ZSTD_getErrorName", out var errorName))
            {
                s_createDCtx = (delegate* unmanaged<nint>)create;
                s_decompressDCtx = (delegate* unmanaged<nint, void*, nuint, void*, nuint, nuint>)decompress;
                s_getFrameContentSize = (delegate* unmanaged<void*, nuint, ulong>)contentSize;
                s_isError = (delegate* unmanaged<nuint, uint>)isError;
                s_getErrorName = (delegate* unmanaged<nuint, byte*>)errorName;
                IsAvailable = true;
                return;
            }
        }
    }

    public static bool IsAvailable { get; }

    /// <summary>The frame's declared content size, or null when it declares none or is not a frame.</summary>
    public static ulong? ContentSize(ReadOnlySpan<byte> frame)
    {
        fixed (byte* source = frame)
        {
            var size = s_getFrameContentSize(source, (nuint)frame.Length);
            return size is ContentSizeUnknown or ContentSizeError ? null : size;
        }
    }

    /// <summary>Decodes <paramref name="frame"/> into <paramref name="destination"/>; returns the bytes written, or throws with zstd's error name.</summary>
    public static int Decompress(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        if (t_context == 0)
        {
            t_context = s_createDCtx();
            if (t_context == 0)
            {
                throw new InvalidOperationException("libzstd could not create a decompression context.");
            }
        }

        fixed (byte* source = frame)
        fixed (byte* target = destination)
        {
            var result = s_decompressDCtx(t_context, target, (nuint)destination.Length, source, (nuint)frame.Length);
            if (s_isError(result) != 0)
            {
                throw new InvalidDataException(Marshal.PtrToStringUTF8((nint)s_getErrorName(result)));
            }

            return checked((int)result);
        }
    }
}
