using System.Xml.Linq;
using Bundler.Loader.Loading;

namespace Bundler.Loader.Tests.Loading;

/// <summary>The loader's options have a name of their own: code that also uses System.Xml.Linq (which has a LoadOptions) compiles.</summary>
public sealed class PackageLoadOptionsNameTests
{
    [Fact]
    public void LoaderOptions_AndXmlLoadOptions_AreUsableSideBySide()
    {
        var options = new PackageLoadOptions { Mode = LoadMode.Files };
        var document = XDocument.Parse("<package />", LoadOptions.None);

        Assert.Equal(LoadMode.Files, options.Mode);
        Assert.Equal("package", document.Root!.Name.LocalName);
    }
}
