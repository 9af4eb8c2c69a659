import { loadStackSettings } from '../stack/stack.settings';
import { LOCAL_SERVICES, REPLICATED_SERVICES, serviceProcesses } from './services.launcher';

const settings = (replicas?: string) =>
  loadStackSettings({ env: { ARGUS_SERVICES_REPLICAS: replicas }, repoRoot: '/repo' });

describe('serviceProcesses', () => {
  it('is one process per service, on its own port and under its own name, by default', () => {
    expect(serviceProcesses(settings())).toEqual(
      LOCAL_SERVICES.map(({ name, port }) => ({ name, replica: 0, id: name, port })),
    );
  });

  it('runs every Kafka-consuming service as several processes, 1000 ports apart; the gateway and console once', () => {
    const processes = serviceProcesses(settings('2'));
    expect(processes.filter((p) => p.name === 'feature')).toEqual([
      { name: 'feature', replica: 0, id: 'feature', port: 18104 },
      { name: 'feature', replica: 1, id: 'feature-2', port: 19104 },
    ]);
    expect(processes.filter((p) => p.name === 'gateway').map((p) => p.id)).toEqual(['gateway']);
    expect(processes.filter((p) => p.name === 'console').map((p) => p.id)).toEqual(['console']);
    expect(processes).toHaveLength(LOCAL_SERVICES.length + REPLICATED_SERVICES.size);
    expect(new Set(processes.map((p) => p.port)).size).toBe(processes.length);
    expect(new Set(processes.map((p) => p.id)).size).toBe(processes.length);
  });

  it('keeps the start order: consumers of a topic before its producers, the replicas of a service together', () => {
    const order = serviceProcesses(settings('3')).map((p) => p.name);
    expect([...new Set(order)]).toEqual(LOCAL_SERVICES.map((s) => s.name));
    expect(order.filter((name) => name === 'ingestion')).toHaveLength(3);
    expect(order.slice(-3)).toEqual(['ingestion', 'ingestion', 'ingestion']);
  });
});
