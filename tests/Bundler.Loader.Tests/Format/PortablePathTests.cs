using Bundler.Loader.Format;

namespace Bundler.Loader.Tests.Format;

/// <summary>
/// The portability rules of <see cref="EntryPath"/> and <see cref="PathCollisionChecker"/>: names Windows cannot
/// hold or maps to a device are refused, and so are two names one file system sees as one (case, Unicode normalization).
/// </summary>
public sealed class PortablePathTests
{
    [Theory]
    [InlineData("aux.txt", "device name")]
    [InlineData("AUX", "device name")]
    [InlineData("lib/con/index.js", "device name")]
    [InlineData("Nul.tar.gz", "device name")]
    [InlineData("nul .txt", "device name")]
    [InlineData("prn", "device name")]
    [InlineData("com0.log", "device name")]
    [InlineData("COM9", "device name")]
    [InlineData("lpt1.txt", "device name")]
    [InlineData("com\u00b9.txt", "device name")]
    [InlineData("LPT\u00b3", "device name")]
    [InlineData("readme.", "ends with a dot")]
    [InlineData("lib./a.txt", "ends with a dot")]
    [InlineData("...", "ends with a dot")]
    [InlineData("notes ", "ends with a space")]
    [InlineData("lib /a.txt", "ends with a space")]
    [InlineData("what?.txt", "contains '?'")]
    [InlineData("a*b", "contains '*'")]
    [InlineData("a<b", "contains '<'")]
    [InlineData("a>b", "contains '>'")]
    [InlineData("say\"hi\"", "contains '\"'")]
    [InlineData("a|b", "contains '|'")]
    public void Problem_UnportableName_Refused(string path, string reason)
    {
        var problem = EntryPath.Problem(path);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    /// <summary>A lone surrogate is no character (theory data cannot carry one).</summary>
    [Fact]
    public void Problem_LoneSurrogate_Refused()
    {
        Assert.Contains("lone surrogate", EntryPath.Problem("a\ud800b"), StringComparison.Ordinal);
        Assert.Contains("lone surrogate", EntryPath.Problem("a\udc00b"), StringComparison.Ordinal);
        Assert.Contains("lone surrogate", EntryPath.Problem("ab\ud800"), StringComparison.Ordinal);
    }

    /// <summary>Names that only look like the refused ones, and a non-NFC name on its own, are kept.</summary>
    [Theory]
    [InlineData("auxiliary.js")]
    [InlineData("console/index.js")]
    [InlineData("com10.txt")]
    [InlineData("lpt.txt")]
    [InlineData("com\u2074.txt")]
    [InlineData("my.aux")]
    [InlineData("lib/.hidden")]
    [InlineData(" leading-space.txt")]
    [InlineData("a.b.c")]
    [InlineData("caf\u00e9.txt")]
    [InlineData("cafe\u0301.txt")]
    [InlineData("\ud83d\ude00.txt")]
    public void Problem_PortableName_Accepted(string path) =>
        Assert.Null(EntryPath.Problem(path));

    [Theory]
    [InlineData("caf\u00e9.txt", "cafe\u0301.txt")]
    [InlineData("CAF\u00c9.txt", "cafe\u0301.txt")]
    [InlineData("a\u0323\u0301", "a\u0301\u0323")]
    [InlineData("\u1ea1\u0301", "a\u0301\u0323")]
    [InlineData("\ud55c.txt", "\u1112\u1161\u11ab.txt")]
    [InlineData("\u212b", "\u00c5")]
    [InlineData("README.md", "readme.md")]
    public void Add_NamesOneOnMacOS_Collide(string first, string second)
    {
        var checker = new PathCollisionChecker();
        Assert.Null(checker.Add(first));

        var collision = checker.Add(second);

        Assert.Equal($"'{second}' and '{first}' collide: differing only in case or Unicode normalization, they are one name on Windows or macOS", collision);
    }

    [Theory]
    [InlineData("caf\u00e9", "cafe\u0301/x.txt", "'cafe\u0301/x.txt' lies beneath 'cafe\u0301', which is the file 'caf\u00e9'")]
    [InlineData("cafe\u0301/x.txt", "CAF\u00c9", "'CAF\u00c9' is a file where other files need a folder 'cafe\u0301'")]
    [InlineData("lib", "lib/a.dll", "'lib/a.dll' lies beneath 'lib', which is a file")]
    [InlineData("same.txt", "same.txt", "'same.txt' appears twice")]
    public void Add_FileAndFolderOneOnMacOS_Collide(string first, string second, string expected)
    {
        var checker = new PathCollisionChecker();
        Assert.Null(checker.Add(first));

        Assert.StartsWith(expected, checker.Add(second), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("caf\u00e9.txt", "cafe.txt")]
    [InlineData("a\u0301\u0302", "a\u0302\u0301")]
    [InlineData("\ud55c.txt", "\u1112\u1161.txt")]
    public void Add_DistinctNames_DoNotCollide(string first, string second)
    {
        var checker = new PathCollisionChecker();

        Assert.Null(checker.Add(first));
        Assert.Null(checker.Add(second));
    }
}
