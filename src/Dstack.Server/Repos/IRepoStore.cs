namespace Dstack.Server.Repos;

public interface IRepoStore
{
    /// <summary>Registers the repository, or replaces its credential when it is registered already (`dstack init` again).</summary>
    RepoRecord Save(RepoRecord repo);

    RepoRecord? Find(string owner, string url);
}
