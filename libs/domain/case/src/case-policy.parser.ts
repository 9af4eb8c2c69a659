import { createHash } from 'node:crypto';
import { Channel } from '@argus/contracts';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import type { CasePolicy } from './case-policy.types';
import { CasePolicyError, type CasePolicyProblem } from './case-policy.errors';

const ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;

const id = z.string().regex(ID, 'must be lower case letters and digits separated by "-" or "_"');
const probability = z.number().min(0).max(1);
const amount = z.number().nonnegative();

const queueSchema = z
  .object({
    id,
    name: z.string().min(1).optional(),
    sla_minutes: z
      .number()
      .int()
      .positive()
      .max(30 * 24 * 60),
    supervisors_only: z.boolean().default(false),
  })
  .strict();

const routeSchema = z
  .object({
    queue: id,
    when: z
      .object({
        outcome: z.array(z.enum(['REVIEW', 'BLOCK'])).min(1),
        min_amount: amount.optional(),
        channel: z
          .array(z.enum(Object.values(Channel) as [Channel, ...Channel[]]))
          .min(1)
          .optional(),
        merchant_country: z.array(z.string().regex(COUNTRY, 'must be an ISO 3166-1 alpha-2 code')).min(1).optional(),
        min_score: z.number().min(0).max(100).optional(),
        max_score: z.number().min(0).max(100).optional(),
      })
      .strict()
      .refine((w) => w.min_score === undefined || w.max_score === undefined || w.min_score <= w.max_score, {
        message: 'min_score must not be above max_score',
      }),
  })
  .strict();

const policySchema = z
  .object({
    version: z.union([z.string().min(1), z.number().int()]).transform(String),
    reference_currency: z.string().regex(CURRENCY, 'must be an ISO 4217 code such as EUR'),
    exchange_rates: z.record(z.string().regex(CURRENCY, 'must be an ISO 4217 code'), z.number().positive()).default({}),
    queues: z.array(queueSchema).min(1),
    routes: z.array(routeSchema).min(1),
    escalation_queue: id,
    claim_minutes: z
      .number()
      .int()
      .positive()
      .max(24 * 60)
      .default(15),
    priority: z
      .object({
        sla_weight: z.number().nonnegative().default(1),
        unscored_probability: z
          .object({ REVIEW: probability, BLOCK: probability })
          .strict()
          .default({ REVIEW: 0.05, BLOCK: 0.5 }),
        failed_step_up_probability: probability.default(0.9),
      })
      .strict()
      .default({ sla_weight: 1, unscored_probability: { REVIEW: 0.05, BLOCK: 0.5 }, failed_step_up_probability: 0.9 }),
    approvals: z
      .object({
        release_block_as_legitimate: z.boolean().default(true),
        confirm_fraud_above: amount.nullable().default(null),
      })
      .strict()
      .default({ release_block_as_legitimate: true, confirm_fraud_above: null }),
    notifications: z
      .object({
        block_at_least: amount.nullable().default(null),
        sla_breach: z.boolean().default(false),
      })
      .strict()
      .default({ block_at_least: null, sla_breach: false }),
  })
  .strict();

type PolicyInput = z.infer<typeof policySchema>;

/**
 * Parses a case policy (YAML): which decisions open a case and in which queue, the queues' SLAs, priority,
 * four-eyes. Throws a CasePolicyError listing every problem with its line and column; a service keeps its last
 * good policy when a new file is refused.
 */
export function parseCasePolicy(yamlText: string, sourceName: string): CasePolicy {
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (document.errors.length > 0) {
    throw new CasePolicyError(
      sourceName,
      document.errors.map((error) => ({
        code: 'YAML_SYNTAX',
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
        ...at(error.pos[0]),
      })),
    );
  }
  const parsed = policySchema.safeParse(document.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => locate(document, issue, at));
    throw new CasePolicyError(sourceName, problems);
  }
  const problems = crossCheck(document, parsed.data, at);
  if (problems.length > 0) throw new CasePolicyError(sourceName, problems);
  const digest = createHash('sha256').update(yamlText.replace(/\r\n?/g, '\n'), 'utf8').digest('hex');
  return toPolicy(parsed.data, `${parsed.data.version}+${digest.slice(0, 12)}`);
}

function toPolicy(input: PolicyInput, version: string): CasePolicy {
  return {
    version,
    referenceCurrency: input.reference_currency,
    exchangeRates: input.exchange_rates,
    queues: input.queues.map((queue) => ({
      id: queue.id,
      name: queue.name ?? queue.id,
      slaMinutes: queue.sla_minutes,
      supervisorsOnly: queue.supervisors_only,
    })),
    routes: input.routes.map(({ queue, when }) => ({
      queue,
      outcomes: when.outcome,
      minAmount: when.min_amount ?? null,
      channels: when.channel ?? null,
      countries: when.merchant_country ?? null,
      minScore: when.min_score ?? null,
      maxScore: when.max_score ?? null,
    })),
    escalationQueue: input.escalation_queue,
    claimMinutes: input.claim_minutes,
    priority: {
      slaWeight: input.priority.sla_weight,
      unscoredProbability: input.priority.unscored_probability,
      failedStepUpProbability: input.priority.failed_step_up_probability,
    },
    approvals: {
      releaseBlockAsLegitimate: input.approvals.release_block_as_legitimate,
      confirmFraudAbove: input.approvals.confirm_fraud_above,
    },
    notifications: {
      blockAtLeast: input.notifications.block_at_least,
      slaBreach: input.notifications.sla_breach,
    },
  };
}

type At = (offset: number) => { line: number; column: number };

/** What the schema cannot say: queues named once, routes and escalation to queues that exist. */
function crossCheck(document: Document, input: PolicyInput, at: At): CasePolicyProblem[] {
  const problems: CasePolicyProblem[] = [];
  const place = (path: (string | number)[]) => at(nodeAt(document, path)?.range?.[0] ?? 0);
  const seen = new Set<string>();
  input.queues.forEach((queue, i) => {
    if (seen.has(queue.id))
      problems.push({
        code: 'DUPLICATE_QUEUE',
        message: `queue "${queue.id}" is defined twice`,
        ...place(['queues', i, 'id']),
      });
    seen.add(queue.id);
  });
  input.routes.forEach((route, i) => {
    if (!seen.has(route.queue))
      problems.push({
        code: 'UNKNOWN_QUEUE',
        message: `routes[${i}].queue: no queue "${route.queue}" (queues: ${[...seen].join(', ')})`,
        ...place(['routes', i, 'queue']),
      });
  });
  if (!seen.has(input.escalation_queue))
    problems.push({
      code: 'UNKNOWN_QUEUE',
      message: `escalation_queue: no queue "${input.escalation_queue}"`,
      ...place(['escalation_queue']),
    });
  return problems;
}

function nodeAt(document: Document, path: readonly PropertyKey[]): Node | null {
  // The deepest node that exists along the path (a missing key is reported at its mapping).
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as unknown[], true);
    if (node !== undefined && node !== null && typeof node === 'object' && 'range' in node) return node as Node;
  }
  return null;
}

/** `routes[0].when.outcome`, as a person reads the file. */
function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'policy';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

function locate(document: Document, issue: z.core.$ZodIssue, at: At): CasePolicyProblem {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const where = pathText(path);
  if (issue.code === 'unrecognized_keys') {
    const owner = nodeAt(document, path);
    const key = isMap(owner)
      ? owner.items.find((pair) => isScalar(pair.key) && issue.keys.includes(String(pair.key.value)))?.key
      : undefined;
    const offset = (key as Node | undefined)?.range?.[0] ?? owner?.range?.[0] ?? 0;
    return {
      code: 'UNKNOWN_KEY',
      message: `${where}: unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
      ...at(offset),
    };
  }
  const node = nodeAt(document, path);
  const missing = issue.code === 'invalid_type' && document.getIn(path as unknown[], true) === undefined;
  return {
    code: missing ? 'MISSING_KEY' : 'INVALID_VALUE',
    message: missing ? `${where}: missing required key` : `${where}: ${issue.message}`,
    ...at(node?.range?.[0] ?? 0),
  };
}
