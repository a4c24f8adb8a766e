namespace Dstack.Server.Storage;

/// <summary>
/// Every schema change, in order. Never edit a released migration: append a new one.
/// Times are UTC ticks; statuses are their upper-case names; every run, job, repo and runner records its owner.
/// </summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial schema", """
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                owner TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE repos (
                owner TEXT NOT NULL,
                url TEXT NOT NULL,
                credential_kind TEXT,
                credential BLOB,
                registered_at INTEGER NOT NULL,
                PRIMARY KEY (owner, url)
            );
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                owner TEXT NOT NULL,
                repo_url TEXT NOT NULL,
                branch TEXT,
                commit_hash TEXT NOT NULL,
                diff_blob TEXT,
                untracked_blob TEXT,
                workflow TEXT NOT NULL,
                variables TEXT NOT NULL,
                tag TEXT,
                submitted_at INTEGER NOT NULL
            );
            CREATE INDEX runs_by_repo ON runs (owner, repo_url, id);
            CREATE TABLE runners (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                owner TEXT NOT NULL,
                host TEXT,
                slots INTEGER NOT NULL,
                container_engine TEXT,
                gpus INTEGER NOT NULL,
                cpus INTEGER NOT NULL,
                memory_bytes INTEGER NOT NULL,
                registered_at INTEGER NOT NULL,
                last_seen_at INTEGER NOT NULL
            );
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES runs (id),
                owner TEXT NOT NULL,
                position INTEGER NOT NULL,
                workflow TEXT NOT NULL,
                status TEXT NOT NULL,
                reason TEXT,
                exit_code INTEGER,
                signal TEXT,
                attempt INTEGER NOT NULL DEFAULT 1,
                runner_id TEXT REFERENCES runners (id),
                fencing_token INTEGER NOT NULL DEFAULT 0,
                process_group INTEGER,
                variables TEXT NOT NULL,
                image TEXT,
                gpu_count INTEGER NOT NULL DEFAULT 0,
                spec TEXT NOT NULL,
                artifacts_partial INTEGER NOT NULL DEFAULT 0,
                artifacts_missing TEXT NOT NULL DEFAULT '[]',
                submitted_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER
            );
            CREATE INDEX jobs_by_run ON jobs (run_id, position);
            CREATE INDEX jobs_by_status ON jobs (status, run_id, position);
            CREATE INDEX jobs_by_runner ON jobs (runner_id, status);
            CREATE TABLE job_dependencies (
                job_id TEXT NOT NULL REFERENCES jobs (id),
                depends_on TEXT NOT NULL REFERENCES jobs (id),
                PRIMARY KEY (job_id, depends_on)
            );
            CREATE INDEX job_dependents ON job_dependencies (depends_on);
            CREATE TABLE job_artifact_files (
                job_id TEXT NOT NULL REFERENCES jobs (id),
                path TEXT NOT NULL,
                artifact TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                mode INTEGER NOT NULL,
                PRIMARY KEY (job_id, path)
            );
            CREATE TABLE log_records (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                job_id TEXT NOT NULL,
                run_id INTEGER NOT NULL,
                attempt INTEGER NOT NULL,
                log_offset INTEGER NOT NULL,
                stream INTEGER NOT NULL,
                logged_at INTEGER NOT NULL,
                data BLOB NOT NULL,
                UNIQUE (job_id, attempt, log_offset)
            );
            CREATE INDEX logs_by_job_time ON log_records (job_id, logged_at, seq);
            CREATE INDEX logs_by_run_time ON log_records (run_id, logged_at, seq);
            CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT INTO counters (name, value) VALUES ('fencing_token', 0);
            """),
        // The jobs row holds the current attempt; job_attempts mirrors it and keeps every earlier attempt as it ended.
        // stop_grace_ms is the pending stop order of a STOPPING job (an ABORTING job's order is SIGKILL, no grace).
        new(2, "attempts and stop orders", """
            CREATE TABLE job_attempts (
                job_id TEXT NOT NULL REFERENCES jobs (id),
                attempt INTEGER NOT NULL,
                status TEXT NOT NULL,
                runner_id TEXT REFERENCES runners (id),
                started_at INTEGER,
                finished_at INTEGER,
                exit_code INTEGER,
                signal TEXT,
                reason TEXT,
                PRIMARY KEY (job_id, attempt)
            );
            INSERT INTO job_attempts (job_id, attempt, status, runner_id, started_at, finished_at, exit_code, signal, reason)
                SELECT id, attempt, status, runner_id, started_at, finished_at, exit_code, signal, reason FROM jobs;
            ALTER TABLE jobs ADD COLUMN stop_grace_ms INTEGER;
            CREATE INDEX logs_by_job_attempt_time ON log_records (job_id, attempt, logged_at, seq);
            """),
        // A run lists its jobs in run_jobs: those it created (reused = 0, jobs.run_id is that run) and those it took from an
        // earlier run with the same cache key (reused = 1). cache_parts is the canonical key document cache_key hashes.
        // A tag is unique within an owner's repository.
        new(3, "cache keys, reused jobs and tags", """
            CREATE TABLE run_jobs (
                run_id INTEGER NOT NULL REFERENCES runs (id),
                job_id TEXT NOT NULL REFERENCES jobs (id),
                position INTEGER NOT NULL,
                reused INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (run_id, job_id)
            );
            CREATE INDEX run_jobs_by_job ON run_jobs (job_id);
            INSERT INTO run_jobs (run_id, job_id, position, reused) SELECT run_id, id, position, 0 FROM jobs;
            ALTER TABLE jobs ADD COLUMN cache_key TEXT;
            ALTER TABLE jobs ADD COLUMN cache_parts TEXT;
            CREATE INDEX jobs_by_cache_key ON jobs (cache_key, owner);
            CREATE INDEX jobs_by_workflow ON jobs (owner, workflow, submitted_at);
            CREATE UNIQUE INDEX runs_by_tag ON runs (owner, repo_url, tag) WHERE tag IS NOT NULL;
            """),
        // The job's process group was recorded from the runner's RUNNING report and never read: the runner keeps it in its
        // own slot file for the clean-up after a crash, and no longer sends that report (the lease makes a job RUNNING).
        new(4, "no process group on the server", """
            ALTER TABLE jobs DROP COLUMN process_group;
            """),
    ];
}
