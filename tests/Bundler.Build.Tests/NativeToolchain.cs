using Bundler.Testing;

namespace Bundler.Build.Tests;

/// <summary>Whether this machine can build a Native AOT program: the ILCompiler links with clang, or gcc.</summary>
internal static class NativeToolchain
{
    public static bool Available { get; } = ExternalTool.Find("clang") is not null || ExternalTool.Find("gcc") is not null;
}

/// <summary>A fact about the precompiled tool; skipped, saying why, on a machine that cannot build one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeToolchainFactAttribute : FactAttribute
{
    public NativeToolchainFactAttribute()
    {
        if (!NativeToolchain.Available)
        {
            Skip = "needs a C toolchain to build the Native AOT tool (apt-get install clang)";
        }
    }
}
