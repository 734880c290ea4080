namespace Bundler.Testing.ObjectStores;

/// <summary>One request through a <see cref="StoreProxy"/>.</summary>
public sealed record ProxiedRequest(string Method, string PathAndQuery, long BodyBytes, bool Failed);
