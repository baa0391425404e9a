// Where the stack under test is: scripts/test starts it and exports these.
// Without CLIENTD_URL the API suites exit 77, which ctest reports as skipped.
import process from 'node:process';

export const BASE = process.env.CLIENTD_URL;
if (!BASE) {
  console.error('CLIENTD_URL is not set: run the API tests through scripts/test');
  process.exit(77);
}
// The metrics listener: scripts/lib.sh puts it 1000 ports above the API's.
export const METRICS = process.env.CLIENTD_METRICS_URL
  ?? `http://127.0.0.1:${Number(new URL(BASE).port) + 1000}`;
export const BIN = process.env.CLIENTD_BIN;
export const SOURCE = process.env.CLIENTD_SOURCE_DIR;
export const OWNER_DSN = process.env.DATABASE_OWNER_URL;
export const APP_DSN = process.env.DATABASE_URL;
export const WORKER_DSN = process.env.WORKER_DATABASE_URL;
export const KORE_SOCKET = process.env.CLIENTD_KORE_SOCKET;
