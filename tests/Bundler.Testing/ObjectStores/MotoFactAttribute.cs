using Xunit;

namespace Bundler.Testing.ObjectStores;

/// <summary>A fact against a real <see cref="MotoServer"/>; skipped, saying what to install, only when moto_server is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoFactAttribute : FactAttribute
{
    public MotoFactAttribute()
    {
        Skip = MotoServer.SkipReason;
    }
}

/// <summary>A theory against a real <see cref="MotoServer"/>, skipped as <see cref="MotoFactAttribute"/> is.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoTheoryAttribute : TheoryAttribute
{
    public MotoTheoryAttribute()
    {
        Skip = MotoServer.SkipReason;
    }
}
