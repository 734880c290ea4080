using Xunit;

namespace Bundler.Testing.ObjectStores;

/// <summary>A fact against a real <see cref="AzuriteServer"/>; skipped, saying what to install, only when node or Azurite is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AzuriteFactAttribute : FactAttribute
{
    public AzuriteFactAttribute()
    {
        Skip = AzuriteServer.SkipReason;
    }
}

/// <summary>A theory against a real <see cref="AzuriteServer"/>, skipped as <see cref="AzuriteFactAttribute"/> is.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AzuriteTheoryAttribute : TheoryAttribute
{
    public AzuriteTheoryAttribute()
    {
        Skip = AzuriteServer.SkipReason;
    }
}
