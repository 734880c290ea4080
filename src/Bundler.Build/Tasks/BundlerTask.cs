using System.Diagnostics.CodeAnalysis;
using Microsoft.Build.Framework;
using Bundler.Build.Diagnostics;
using Bundler.Loader;

namespace Bundler.Build.Tasks;

/// <summary>
/// The shared shape of Bundler's tasks: an async body that honors MSBuild's cancellation (Ctrl+C, a cancelled build in
/// an IDE), and the one place that turns expected failures into errors with their documented codes.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "MSBuild never disposes tasks; a CancellationTokenSource without a timer holds nothing that needs releasing.")]
public abstract class BundlerTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        try
        {
            ExecuteAsync(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (BundleBuildException ex)
        {
            LogError(ex.Code, ex.Message);
        }
        catch (BundleException ex)
        {
            LogError(DiagnosticCodes.BundleFailed, ex.Message);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "Bundler: cancelled; the previous bundle and lock file are unchanged.");
            return false;
        }
        catch (IOException ex)
        {
            LogError(DiagnosticCodes.BundleFailed, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogError(DiagnosticCodes.BundleFailed, ex.Message);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The task's work; throws <see cref="BundleBuildException"/> for failures the user can fix.</summary>
    private protected abstract Task ExecuteAsync(CancellationToken cancellationToken);

    private protected void LogError(string code, string message) =>
        Log.LogError(subcategory: null, code, helpKeyword: null, BuildEngine?.ProjectFileOfTaskNode, 0, 0, 0, 0, message);

    private protected void LogWarning(string code, string message) =>
        Log.LogWarning(subcategory: null, code, helpKeyword: null, BuildEngine?.ProjectFileOfTaskNode, 0, 0, 0, 0, message);
}
