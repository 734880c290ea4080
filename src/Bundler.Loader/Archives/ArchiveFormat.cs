namespace Bundler.Loader.Archives;

/// <summary>Container formats a source archive can have.</summary>
internal enum ArchiveFormat
{
    Unknown,
    Zip,
    Tar,
    TarGzip,
    TarXz,
    TarBzip2,
    TarZstd,
}
