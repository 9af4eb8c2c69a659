import { type ClusterView, clusterPlan, clusterView, describeClusterNode, isFormed } from './redis-cluster.component';

const ok: ClusterView = { state: 'ok', knownNodes: 3, size: 3, slotsAssigned: 16_384 };
const fresh: ClusterView = { state: 'fail', knownNodes: 1, size: 0, slotsAssigned: 0 };
const waiting: ClusterView = { state: 'fail', knownNodes: 3, size: 3, slotsAssigned: 16_384 };

describe('clusterView', () => {
  it('reads CLUSTER INFO', () => {
    const info = [
      'cluster_state:ok',
      'cluster_slots_assigned:16384',
      'cluster_slots_ok:16384',
      'cluster_known_nodes:3',
      'cluster_size:3',
      '',
    ].join('\r\n');
    expect(clusterView(info)).toEqual(ok);
  });
});

describe('clusterPlan', () => {
  it('leaves a formed cluster alone', () => {
    expect(clusterPlan([ok, ok, ok], 3)).toBe('formed');
  });

  it('creates the cluster from new nodes', () => {
    expect(clusterPlan([fresh, fresh, fresh], 3)).toBe('create');
  });

  it('waits for restarted nodes to find each other again from their nodes.conf', () => {
    expect(clusterPlan([ok, waiting, ok], 3)).toBe('await');
  });

  it('rebuilds when a node lost its nodes.conf, which it never rejoins by itself', () => {
    expect(clusterPlan([ok, ok, fresh], 3)).toBe('rebuild');
  });

  it('does not take a cluster of another size for this one', () => {
    expect(isFormed([ok, ok, ok, fresh], 4)).toBe(false);
    expect(clusterPlan([ok, ok, ok, fresh], 4)).toBe('rebuild');
  });
});

describe('describeClusterNode', () => {
  it("says the node's role and slots from its CLUSTER NODES line", () => {
    const nodes = [
      'b1c 127.0.0.1:16381@26381 master - 0 1700000000000 2 connected 5461-10922',
      'a0f 127.0.0.1:16380@26380 myself,master - 0 1700000000000 1 connected 0-5460',
      '',
    ].join('\n');
    expect(describeClusterNode(nodes)).toBe('master of 0-5460');
    expect(describeClusterNode('a0f 127.0.0.1:16380@26380 myself,master - 0 0 0 connected\n')).toBe('master, no slots');
    expect(describeClusterNode('')).toBe('not in a cluster');
  });
});
