using System.Runtime.InteropServices;

namespace Dstack.Server.Storage;

/// <summary>
/// Gives a file a second name only if that name is free, atomically: link(2) fails with EEXIST when another process
/// got there first. .NET's File.Move(overwrite: false) checks and then renames on Unix, so two racers can both "win".
/// </summary>
internal static partial class NewNameLink
{
    private const int AlreadyExists = 17; // EEXIST

    /// <summary>True when <paramref name="newPath"/> now names the file; false when something already had that name.</summary>
    public static bool TryCreate(string existingPath, string newPath)
    {
        if (Link(existingPath, newPath) == 0) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error == AlreadyExists) return false;
        throw new IOException($"could not link {existingPath} to {newPath}: {Marshal.GetPInvokeErrorMessage(error)}");
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);
}
