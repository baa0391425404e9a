// Direct database access for what HTTP cannot show: row-level security,
// stored secrets, the events of a transaction.
import pg from 'pg';
import { APP_DSN, OWNER_DSN } from './env.mjs';

// libpq keyword=value strings to node-postgres options.
export function parseDsn(dsn) {
  const o = {};
  for (const m of dsn.matchAll(/(\w+)=('(?:[^'\\]|\\.)*'|\S+)/g)) {
    o[m[1]] = m[2].startsWith("'") ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
  }
  return {
    host: o.host, port: Number(o.port ?? 5432), database: o.dbname,
    user: o.user, password: o.password,
  };
}

export async function withDb(dsn, fn) {
  const client = new pg.Client(parseDsn(dsn));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const asOwner = (fn) => withDb(OWNER_DSN, fn);
export const asApp = (fn) => withDb(APP_DSN, fn);
