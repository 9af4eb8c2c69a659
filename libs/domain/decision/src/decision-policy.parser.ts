import { createHash } from 'node:crypto';
import { Channel, Outcome, RuleAction, YamlSourceReader, type MapEntry } from '@argus/contracts';
import { isScalar, type Node } from 'yaml';
import { DecisionPolicyError, DecisionPolicyErrorCode } from './decision-policy.errors';
import type {
  DecisionPolicy,
  FallbackMode,
  FeaturesFallbackMode,
  FlagEscalation,
  RaisedOutcome,
  RuleErrorMode,
  ScoreBand,
} from './decision-policy.types';

const ROOT_KEYS = [
  'name',
  'version',
  'description',
  'rule_precedence',
  'allow_overrides',
  'flag_escalation',
  'score_bands',
  'fallback',
  'default_outcome',
  'explain',
] as const;
const BAND_KEYS = ['min_score', 'outcome', 'channels'] as const;

const ACTIONS = Object.values(RuleAction) as readonly string[];
const OUTCOMES = Object.values(Outcome) as readonly string[];
const RAISED: readonly RaisedOutcome[] = ['REVIEW', 'BLOCK'];
const CHANNELS = Object.values(Channel) as readonly string[];
const NAME = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const DEFAULT_RULE_PRECEDENCE: readonly RuleAction[] = ['BLOCK', 'ALLOW', 'REVIEW', 'FLAG'];
const DEFAULT_TOP_FACTORS = 5;

type Reader = YamlSourceReader<DecisionPolicyErrorCode>;

/**
 * Parses a decision policy. Everything but `name` and `version` has a default (see README). Throws a
 * DecisionPolicyError listing every problem found, each with its line and column.
 */
export function parsePolicy(yamlText: string, sourceName: string): DecisionPolicy {
  const reader: Reader = new YamlSourceReader(yamlText, {
    syntax: DecisionPolicyErrorCode.YAML_SYNTAX,
    invalidType: DecisionPolicyErrorCode.INVALID_TYPE,
    unknownKey: DecisionPolicyErrorCode.UNKNOWN_KEY,
    missingKey: DecisionPolicyErrorCode.MISSING_KEY,
  });
  const root = reader.parseRoot();
  const policy = root === undefined ? undefined : readPolicy(reader, root);
  if (reader.problems.length > 0 || policy === undefined) {
    const problems = [...reader.problems].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new DecisionPolicyError(sourceName, problems);
  }
  const digest = createHash('sha256')
    .update(yamlText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), 'utf8')
    .digest('hex');
  return { ...policy, sourceName, policyVersion: `${policy.name}@${policy.version}+${digest.slice(0, 12)}` };
}

function readPolicy(
  reader: Reader,
  root: Node | null,
): Omit<DecisionPolicy, 'sourceName' | 'policyVersion'> | undefined {
  const entries = reader.map(root, 'policy', ROOT_KEYS);
  if (entries === undefined) return undefined;
  const name = readName(reader, entries, root);
  const version = readVersion(reader, entries, root);
  const descriptionEntry = entries.get('description');
  const description = descriptionEntry ? (reader.string(descriptionEntry, 'description') ?? null) : null;
  const precedenceEntry = entries.get('rule_precedence');
  const rulePrecedence = precedenceEntry ? readPrecedence(reader, precedenceEntry) : DEFAULT_RULE_PRECEDENCE;
  const overridesEntry = entries.get('allow_overrides');
  const allowOverrides = overridesEntry
    ? readOutcomeList(reader, overridesEntry, 'allow_overrides')
    : (['REVIEW'] as const);
  const escalationEntry = entries.get('flag_escalation');
  const flagEscalation = escalationEntry ? readEscalation(reader, escalationEntry) : null;
  const bandsEntry = entries.get('score_bands');
  const scoreBands = bandsEntry ? readBands(reader, bandsEntry) : [];
  const fallbackEntry = entries.get('fallback');
  const fallback = fallbackEntry ? readFallback(reader, fallbackEntry) : DEFAULT_FALLBACK;
  const defaultEntry = entries.get('default_outcome');
  const defaultOutcome = defaultEntry ? readOutcome(reader, defaultEntry, 'default_outcome', OUTCOMES) : 'APPROVE';
  const explainEntry = entries.get('explain');
  const topFactors = explainEntry ? readExplain(reader, explainEntry) : DEFAULT_TOP_FACTORS;

  if (name === undefined || version === undefined || description === undefined || rulePrecedence === undefined)
    return undefined;
  if (
    allowOverrides === undefined ||
    flagEscalation === undefined ||
    scoreBands === undefined ||
    fallback === undefined
  )
    return undefined;
  if (defaultOutcome === undefined || topFactors === undefined) return undefined;
  return {
    name,
    version,
    description,
    rule_precedence: rulePrecedence,
    allow_overrides: allowOverrides,
    flag_escalation: flagEscalation,
    score_bands: scoreBands,
    fallback,
    default_outcome: defaultOutcome as Outcome,
    top_factors: topFactors,
  };
}

function readName(reader: Reader, entries: Map<string, MapEntry>, root: Node | null): string | undefined {
  const entry = reader.required(entries, 'name', root, 'policy');
  const name = entry && reader.string(entry, 'name');
  if (entry === undefined || name === undefined) return undefined;
  if (NAME.test(name)) return name;
  reader.report(
    DecisionPolicyErrorCode.INVALID_VALUE,
    entry.value,
    `name "${name}" must be lower case letters and digits separated by "-", "_" or "."`,
  );
  return undefined;
}

function readVersion(reader: Reader, entries: Map<string, MapEntry>, root: Node | null): string | undefined {
  const entry = reader.required(entries, 'version', root, 'policy');
  if (entry === undefined) return undefined;
  // An unquoted `version: 3` is an integer to YAML; accept it. `1.10` would become 1.1: refuse.
  const value =
    isScalar(entry.value) && Number.isSafeInteger(entry.value.value)
      ? String(entry.value.value)
      : reader.string(entry, 'version');
  if (value === undefined) return undefined;
  if (VERSION.test(value)) return value;
  reader.report(
    DecisionPolicyErrorCode.INVALID_VALUE,
    entry.value,
    `version "${value}" must be letters, digits, ".", "_" or "-" (quote it: "1.10")`,
  );
  return undefined;
}

function readPrecedence(reader: Reader, entry: MapEntry): readonly RuleAction[] | undefined {
  const items = reader.sequence(entry, 'rule_precedence');
  if (items === undefined) return undefined;
  const actions: RuleAction[] = [];
  for (const item of items) {
    const value = isScalar(item) ? item.value : undefined;
    if (typeof value !== 'string' || !ACTIONS.includes(value)) {
      reader.report(
        DecisionPolicyErrorCode.INVALID_PRECEDENCE,
        item,
        `rule_precedence: ${JSON.stringify(value ?? null)} is not one of ${ACTIONS.join(', ')}`,
        entry.key,
      );
      return undefined;
    }
    if (actions.includes(value as RuleAction)) {
      reader.report(DecisionPolicyErrorCode.INVALID_PRECEDENCE, item, `rule_precedence: ${value} is listed twice`);
      return undefined;
    }
    actions.push(value as RuleAction);
  }
  const missing = ACTIONS.filter((action) => !actions.includes(action as RuleAction));
  if (missing.length > 0) {
    reader.report(
      DecisionPolicyErrorCode.INVALID_PRECEDENCE,
      entry.value,
      `rule_precedence must list every action; missing ${missing.join(', ')}`,
      entry.key,
    );
    return undefined;
  }
  // A review rule must never soften a block: that ordering is not configurable.
  if (actions.indexOf('REVIEW') < actions.indexOf('BLOCK')) {
    reader.report(
      DecisionPolicyErrorCode.INVALID_PRECEDENCE,
      entry.value,
      'rule_precedence: BLOCK must rank above REVIEW',
      entry.key,
    );
    return undefined;
  }
  return actions;
}

function readOutcome(reader: Reader, entry: MapEntry, what: string, allowed: readonly string[]): string | undefined {
  const value = reader.string(entry, what);
  if (value === undefined) return undefined;
  if (allowed.includes(value)) return value;
  reader.report(
    DecisionPolicyErrorCode.INVALID_OUTCOME,
    entry.value,
    `${what} must be one of ${allowed.join(', ')}, got "${value}"`,
  );
  return undefined;
}

function readOutcomeList(reader: Reader, entry: MapEntry, what: string): readonly RaisedOutcome[] | undefined {
  const items = reader.sequence(entry, what);
  if (items === undefined) return undefined;
  const outcomes: RaisedOutcome[] = [];
  for (const item of items) {
    const value = isScalar(item) ? item.value : undefined;
    if (typeof value !== 'string' || !(RAISED as readonly string[]).includes(value)) {
      reader.report(
        DecisionPolicyErrorCode.INVALID_OUTCOME,
        item,
        `${what}: ${JSON.stringify(value ?? null)} is not one of ${RAISED.join(', ')}`,
        entry.key,
      );
      return undefined;
    }
    if (!outcomes.includes(value as RaisedOutcome)) outcomes.push(value as RaisedOutcome);
  }
  return outcomes;
}

function readEscalation(reader: Reader, entry: MapEntry): FlagEscalation | undefined {
  const entries = reader.map(entry.value, 'flag_escalation', ['min_flags', 'outcome'], entry.key);
  if (entries === undefined) return undefined;
  const minEntry = reader.required(entries, 'min_flags', entry.value, 'flag_escalation');
  const minFlags = minEntry && reader.integer(minEntry, 'flag_escalation.min_flags');
  if (minEntry && minFlags !== undefined && minFlags < 1) {
    reader.report(
      DecisionPolicyErrorCode.INVALID_VALUE,
      minEntry.value,
      `flag_escalation.min_flags must be at least 1, got ${minFlags}`,
    );
    return undefined;
  }
  const outcomeEntry = entries.get('outcome');
  const outcome = outcomeEntry ? readOutcome(reader, outcomeEntry, 'flag_escalation.outcome', RAISED) : 'REVIEW';
  if (minFlags === undefined || outcome === undefined) return undefined;
  return { min_flags: minFlags, outcome: outcome as RaisedOutcome };
}

function readBands(reader: Reader, entry: MapEntry): readonly ScoreBand[] | undefined {
  const items = reader.sequence(entry, 'score_bands');
  if (items === undefined) return undefined;
  const bands: ScoreBand[] = [];
  let valid = true;
  items.forEach((item, index) => {
    const band = readBand(reader, item, `score_bands[${index}]`);
    if (band) bands.push(band);
    else valid = false;
  });
  // Highest threshold first, so a reader of the decision sees the band that mattered first.
  return valid ? bands.sort((a, b) => b.min_score - a.min_score) : undefined;
}

function readBand(reader: Reader, node: Node | null, what: string): ScoreBand | undefined {
  const entries = reader.map(node, what, BAND_KEYS);
  if (entries === undefined) return undefined;
  const minEntry = reader.required(entries, 'min_score', node, what);
  const minScore = minEntry && reader.number(minEntry, `${what}.min_score`);
  if (minEntry && minScore !== undefined && (minScore < 0 || minScore > 100)) {
    reader.report(
      DecisionPolicyErrorCode.INVALID_SCORE_BAND,
      minEntry.value,
      `${what}.min_score must be between 0 and 100, got ${minScore}`,
    );
    return undefined;
  }
  const outcomeEntry = reader.required(entries, 'outcome', node, what);
  // A band only raises the outcome; APPROVE would mean "ignore the rules", which no band may do.
  const outcome = outcomeEntry && readOutcome(reader, outcomeEntry, `${what}.outcome`, RAISED);
  const channelsEntry = entries.get('channels');
  const channels = channelsEntry ? readChannels(reader, channelsEntry, what) : null;
  if (minScore === undefined || outcome === undefined || channels === undefined) return undefined;
  return { min_score: minScore, outcome: outcome as RaisedOutcome, channels };
}

function readChannels(reader: Reader, entry: MapEntry, what: string): readonly Channel[] | undefined {
  const items = reader.sequence(entry, `${what}.channels`);
  if (items === undefined) return undefined;
  if (items.length === 0) {
    reader.report(
      DecisionPolicyErrorCode.INVALID_SCORE_BAND,
      entry.value,
      `${what}.channels must not be empty (leave it out for every channel)`,
    );
    return undefined;
  }
  const channels: Channel[] = [];
  for (const item of items) {
    const value = isScalar(item) ? item.value : undefined;
    if (typeof value !== 'string' || !CHANNELS.includes(value)) {
      reader.report(
        DecisionPolicyErrorCode.INVALID_SCORE_BAND,
        item,
        `${what}.channels: ${JSON.stringify(value ?? null)} is not one of ${CHANNELS.join(', ')}`,
        entry.key,
      );
      return undefined;
    }
    channels.push(value as Channel);
  }
  return channels;
}

/** Without a `fallback` section: fail open on the model, ignore a score computed without state. */
const DEFAULT_FALLBACK: DecisionPolicy['fallback'] = {
  missing_score: 'rules_only',
  features_unavailable: 'rules_only',
  rule_errors: 'continue',
};

function readFallback(reader: Reader, entry: MapEntry): DecisionPolicy['fallback'] | undefined {
  const entries = reader.map(
    entry.value,
    'fallback',
    ['missing_score', 'features_unavailable', 'rule_errors'],
    entry.key,
  );
  if (entries === undefined) return undefined;
  const missingEntry = entries.get('missing_score');
  const missingScore = missingEntry
    ? readOutcome(reader, missingEntry, 'fallback.missing_score', ['rules_only', ...RAISED])
    : 'rules_only';
  const errorsEntry = entries.get('rule_errors');
  const ruleErrors = errorsEntry
    ? readOutcome(reader, errorsEntry, 'fallback.rule_errors', ['continue', ...RAISED])
    : 'continue';
  const featuresEntry = entries.get('features_unavailable');
  const featuresUnavailable = featuresEntry
    ? readOutcome(reader, featuresEntry, 'fallback.features_unavailable', ['use_score', 'rules_only', ...RAISED])
    : DEFAULT_FALLBACK.features_unavailable;
  if (missingScore === undefined || ruleErrors === undefined || featuresUnavailable === undefined) return undefined;
  return {
    missing_score: missingScore as FallbackMode,
    features_unavailable: featuresUnavailable as FeaturesFallbackMode,
    rule_errors: ruleErrors as RuleErrorMode,
  };
}

function readExplain(reader: Reader, entry: MapEntry): number | undefined {
  const entries = reader.map(entry.value, 'explain', ['top_factors'], entry.key);
  if (entries === undefined) return undefined;
  const topEntry = entries.get('top_factors');
  if (topEntry === undefined) return DEFAULT_TOP_FACTORS;
  const top = reader.integer(topEntry, 'explain.top_factors');
  if (top !== undefined && (top < 0 || top > 50)) {
    reader.report(
      DecisionPolicyErrorCode.INVALID_VALUE,
      topEntry.value,
      `explain.top_factors must be between 0 and 50, got ${top}`,
    );
    return undefined;
  }
  return top;
}
