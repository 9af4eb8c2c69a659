import type { ComponentStatus, NodeStatus } from './stack.component';

export type ComponentState = 'up' | 'up (external)' | 'unhealthy' | 'down';

export function componentState(status: ComponentStatus): ComponentState {
  if (status.healthy) return status.external ? 'up (external)' : 'up';
  return status.running ? 'unhealthy' : 'down';
}

function nodeState(node: NodeStatus): ComponentState {
  if (node.healthy) return node.pid === null ? 'up (external)' : 'up';
  return node.running ? 'unhealthy' : 'down';
}

/**
 * A fixed-width text table for `argus stack status|up|down`, one row per component, and under a component of
 * several servers (the Redis Cluster) one indented row per server.
 */
export function formatStatusTable(statuses: readonly ComponentStatus[]): string {
  const header = ['COMPONENT', 'ADDRESS', 'STATE', 'PID', 'DETAIL'];
  const pid = (value: number | null) => (value === null ? '-' : String(value));
  const rows = statuses.flatMap((status) => [
    [status.name, status.address, componentState(status), pid(status.pid), status.detail],
    ...(status.nodes ?? []).map((node) => ['  node', node.address, nodeState(node), pid(node.pid), node.detail]),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
