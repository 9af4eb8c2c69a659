import type { ComponentStatus } from './stack.component';

export type ComponentState = 'up' | 'up (external)' | 'unhealthy' | 'down';

export function componentState(status: ComponentStatus): ComponentState {
  if (status.healthy) return status.external ? 'up (external)' : 'up';
  return status.running ? 'unhealthy' : 'down';
}

/** A fixed-width text table for `argus stack status|up|down`, one row per component. */
export function formatStatusTable(statuses: readonly ComponentStatus[]): string {
  const header = ['COMPONENT', 'ADDRESS', 'STATE', 'PID', 'DETAIL'];
  const rows = statuses.map((status) => [
    status.name,
    status.address,
    componentState(status),
    status.pid === null ? '-' : String(status.pid),
    status.detail,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
