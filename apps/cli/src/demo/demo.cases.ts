import { LOCAL_SERVICES, waitFor } from '@argus/testing';
import { ensureDemoUsers, withCaseStore } from '../cases/case-users';

const portOf = (name: string) => LOCAL_SERVICES.find((service) => service.name === name)!.port;
const CASE_PORT = portOf('case');
const CONSOLE_PORT = portOf('console');

/**
 * The analysts' side of the demo: waits until the case service has taken in the replay's decisions (the open
 * cases stop changing), makes the demo's console logins and prints where the cases wait.
 */
export async function showDemoCases(repoRoot: string, pgUrl: string, host: string, print: (line: string) => void) {
  let last = '';
  let stableSince = Date.now();
  const counts = async () => withCaseStore(pgUrl, (store) => store.openCounts());
  await waitFor(
    async () => {
      const now = JSON.stringify(await counts());
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      }
      return Date.now() - stableSince >= 3_000;
    },
    { timeoutMs: 60_000, intervalMs: 500, description: 'the case service to take in the decisions' },
  ).catch(() => print('(the case service is still taking decisions in; the counts below will grow)'));
  const open = await counts();
  const total = Object.values(open).reduce((sum, count) => sum + count, 0);
  print(
    `${total} cases wait for an analyst: ${Object.entries(open)
      .map(([queue, count]) => `${queue} ${count}`)
      .join(', ')}`,
  );
  const users = await ensureDemoUsers(repoRoot, pgUrl);
  const api = `http://${host}:${CASE_PORT}`;
  print(`analysts' console: http://${host}:${CONSOLE_PORT}/ (queue, case view, approvals, dashboard)`);
  print(`case API: ${api}/v1 (OpenAPI: ${api}/v1/openapi.json)`);
  print(`logins (made for this checkout, kept in .argus/secrets/console-users.json):`);
  for (const user of users) print(`  ${user.id.padEnd(12)} ${user.password}   ${user.role}`);
}

/** The previous demo's cases, gone with its population (a new run replays the same people under new ids). */
export function forgetDemoCases(prefix: string, pgUrl: string): Promise<number> {
  return withCaseStore(pgUrl, (store) => store.forgetCasesOf(prefix));
}
