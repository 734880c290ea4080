namespace Bundler.Loader.Http;

/// <summary>Told of each attempt <see cref="HttpRetryPolicy.SendAsync"/> makes, to count requests and retries.</summary>
internal interface IHttpAttemptObserver
{
    /// <summary>A request is about to be sent.</summary>
    void Sending();

    /// <summary>A response's headers arrived, whatever its status.</summary>
    void Answered();

    /// <summary>The attempt failed transiently and another follows after a wait.</summary>
    void Retrying();
}
