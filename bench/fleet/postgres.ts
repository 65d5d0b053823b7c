import pg from 'pg';

/** A database made for one run of the benchmark on the server at `adminUrl`, and dropped after it. */
export interface ScratchDatabase {
  name: string;
  /** the URL of the scratch database, with an application_name telling who connects */
  url(applicationName: string): string;
  drop(): Promise<void>;
}

async function withClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function serverVersion(adminUrl: string): Promise<string> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${rows[0].v}`;
  });
}

export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `realmgate_fleet_${process.pid}_${Date.now().toString(36)}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const base = new URL(adminUrl);
  return {
    name,
    url(applicationName) {
      const url = new URL(base.toString());
      url.pathname = `/${name}`;
      url.searchParams.set('application_name', applicationName);
      return url.toString();
    },
    async drop() {
      // FORCE (PostgreSQL 13+) ends connections a crashed sidecar might have left behind
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Open connections to a database, by application_name. */
export async function connectionsByApplication(adminUrl: string, database: string): Promise<Record<string, number>> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ app: string; n: string }>(
      'SELECT application_name AS app, count(*) AS n FROM pg_stat_activity WHERE datname = $1 GROUP BY 1 ORDER BY 1',
      [database],
    );
    return Object.fromEntries(rows.map((r) => [r.app || '(none)', Number(r.n)]));
  });
}
