import calculateSlot from 'cluster-key-slot';
import type { ChainableCommander } from 'ioredis';
import { isRedisCluster, type RedisClient, type RedisCluster } from './redis.client';

/** One command of a batch sent by {@link execPipelined}. */
export interface PipelineCommand {
  /** A key the command touches. Its slot says which cluster node runs it: every key of one command shares it. */
  readonly key: string;
  /** Queues the command on a pipeline (a plain command or a script defined with `defineCommand`). */
  readonly queue: (pipeline: ChainableCommander) => void;
}

/** `[error, reply]` of one command, as ioredis's `exec()` gives it. */
export type PipelineReply = readonly [error: Error | null, reply: unknown];

export interface PipelinedResult {
  /** One reply per command, in the order the commands were given, whichever node ran each. */
  readonly replies: PipelineReply[];
  /**
   * Round trips waited for one after the other: 1, or 2 when redirected commands were re-sent (the pipelines of
   * one round go out together, so a round costs one round trip of wall time on a cluster too).
   */
  readonly rounds: number;
  /**
   * Pipelines sent: 1 on one server; on a cluster one per node serving the batch's slots, plus one per slot
   * re-sent after a redirection.
   */
  readonly pipelines: number;
}

/** The commands (positions in the batch, ascending) one pipeline carries, and the node group that serves them. */
export interface PipelineGroup {
  readonly group: string;
  readonly positions: readonly number[];
}

/**
 * Splits a batch into one pipeline per node: each key's slot, mapped by `groupOfSlot` to the node group serving
 * it; a slot no group is known for (no slot map yet) travels alone. Positions keep their order inside a
 * group, and a slot always falls into exactly one group, so commands on one slot (one entity, one id) run in the
 * order given. Pure.
 */
export function planPipelines(
  keys: readonly string[],
  groupOfSlot: (slot: number) => string | undefined,
): PipelineGroup[] {
  const groups = new Map<string, number[]>();
  keys.forEach((key, position) => {
    const slot = calculateSlot(key);
    const group = groupOfSlot(slot) ?? `slot ${slot}`;
    const positions = groups.get(group);
    if (positions === undefined) groups.set(group, [position]);
    else positions.push(position);
  });
  return [...groups].map(([group, positions]) => ({ group, positions }));
}

/** Puts each group's replies back at the positions of its commands. Pure. */
export function placeReplies(
  groups: readonly PipelineGroup[],
  groupReplies: readonly (readonly PipelineReply[])[],
  into: PipelineReply[],
): void {
  groups.forEach((group, g) => {
    const replies = groupReplies[g] ?? [];
    group.positions.forEach((position, i) => {
      into[position] = replies[i] ?? [new Error('no reply in the pipeline for this command'), null];
    });
  });
}

/**
 * A reply saying the command did not run on that node and should go elsewhere or again: the slot moved (MOVED),
 * is migrating (ASK, TRYAGAIN), or the cluster is between states (CLUSTERDOWN).
 */
export function isClusterRedirection(error: Error | null): boolean {
  return error !== null && /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b/.test(error.message);
}

/**
 * Sends a batch as pipelines and returns every reply in the batch's order. One server: one pipeline. A cluster:
 * ioredis refuses a pipeline whose keys several nodes serve, so the batch goes as one pipeline per node, all at
 * once. ioredis follows MOVED and ASK for a pipeline only when every command in it failed alike; a command
 * redirected while others of its pipeline ran is re-sent here once, one pipeline per slot, which ioredis then
 * follows. A redirection that outlives that stays in its reply: the caller retries the batch.
 */
export async function execPipelined(
  client: RedisClient,
  commands: readonly PipelineCommand[],
): Promise<PipelinedResult> {
  if (commands.length === 0) return { replies: [], rounds: 0, pipelines: 0 };
  const replies = new Array<PipelineReply>(commands.length);
  if (!isRedisCluster(client)) {
    placeReplies([{ group: 'server', positions: commands.map((_, i) => i) }], [await send(client, commands)], replies);
    return { replies, rounds: 1, pipelines: 1 };
  }
  const groups = planPipelines(
    commands.map((command) => command.key),
    (slot) => groupOfSlot(client, slot),
  );
  await sendGroups(client, commands, groups, replies);
  const redirected = replies.flatMap(([error], position) => (isClusterRedirection(error) ? [position] : []));
  if (redirected.length === 0) return { replies, rounds: 1, pipelines: groups.length };
  const retries = planPipelines(
    redirected.map((position) => commands[position]!.key),
    () => undefined,
  ).map(({ group, positions }) => ({ group, positions: positions.map((i) => redirected[i]!) }));
  await sendGroups(client, commands, retries, replies);
  return { replies, rounds: 2, pipelines: groups.length + retries.length };
}

/**
 * The node group ioredis itself checks a pipeline against (`_groupsBySlot`, rebuilt with the slot map), so that
 * a pipeline planned here is never refused by it; undefined before the first slot map.
 */
function groupOfSlot(cluster: RedisCluster, slot: number): string | undefined {
  const group = cluster._groupsBySlot[slot];
  return group === undefined ? undefined : String(group);
}

async function sendGroups(
  cluster: RedisCluster,
  commands: readonly PipelineCommand[],
  groups: readonly PipelineGroup[],
  into: PipelineReply[],
): Promise<void> {
  // Every pipeline is queued before any is awaited: on each node, batches go out in the order they were sent.
  const sent = groups.map((group) =>
    send(
      cluster,
      group.positions.map((position) => commands[position]!),
    ),
  );
  placeReplies(groups, await Promise.all(sent), into);
}

async function send(client: RedisClient, commands: readonly PipelineCommand[]): Promise<PipelineReply[]> {
  const pipeline = client.pipeline();
  for (const command of commands) command.queue(pipeline);
  return (await pipeline.exec()) ?? [];
}
