using Bundler.Testing.Http;

namespace Bundler.Testing.Feeds;

/// <summary>A nuget.config with a public feed and a private feed that needs credentials (user:secret), optionally mapped.</summary>
public static class NuGetConfigFile
{
    public static void WritePublicAndPrivate(string path, LoopbackServer publicFeed, LoopbackServer privateFeed, bool mapping = true) =>
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="public" value="{NuGetTestFeed.ServiceIndex(publicFeed)}" allowInsecureConnections="true" />
                <add key="private" value="{NuGetTestFeed.ServiceIndex(privateFeed)}" allowInsecureConnections="true" />
              </packageSources>
              <packageSourceCredentials>
                <private>
                  <add key="Username" value="user" />
                  <add key="ClearTextPassword" value="secret" />
                </private>
              </packageSourceCredentials>
            {(mapping ? """
              <packageSourceMapping>
                <packageSource key="public"><package pattern="*" /></packageSource>
                <packageSource key="private"><package pattern="Private.*" /></packageSource>
              </packageSourceMapping>
            """ : "")}
            </configuration>
            """);
}
