import { RuleAction, YamlSourceReader, type MapEntry } from '@argus/contracts';
import { isMap, isScalar, type Node } from 'yaml';
import { RuleConditionCompiler } from './rule-condition.compiler';
import { compileReasonTemplate, type ReasonTemplate } from './reason.template';
import { RuleSetError, RuleSetErrorCode, type RuleSetProblem } from './rule-set.errors';
import type { CompiledRule, RuleSet } from './rule-set.types';
import { ruleSetVersion } from './rule-set.version';

const ROOT_KEYS = ['name', 'description', 'lists', 'rules'] as const;
const RULE_KEYS = ['id', 'description', 'reason', 'action', 'priority', 'enabled', 'when'] as const;
const ACTIONS = Object.values(RuleAction) as readonly string[];

const SET_NAME = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
const RULE_ID = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
// A list is read as `lists.<name>` in CEL, so its name must be a CEL identifier.
const LIST_NAME = /^[a-z_][a-z0-9_]*$/;
// RuleHit.priority is an Avro int.
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

type Reader = YamlSourceReader<RuleSetErrorCode>;

/**
 * Parses and compiles a YAML rule set. Every condition is compiled once here; nothing is re-parsed per
 * transaction. Throws a RuleSetError listing every problem found, each with its line and column.
 */
export function parseRuleSet(yamlText: string, sourceName: string): RuleSet {
  const reader: Reader = new YamlSourceReader(yamlText, {
    syntax: RuleSetErrorCode.YAML_SYNTAX,
    invalidType: RuleSetErrorCode.INVALID_TYPE,
    unknownKey: RuleSetErrorCode.UNKNOWN_KEY,
    missingKey: RuleSetErrorCode.MISSING_KEY,
  });
  const ruleIds = new Map<number, string>();
  const root = reader.parseRoot();
  const parsed = root === undefined ? undefined : readRuleSet(reader, root, ruleIds);
  if (reader.problems.length > 0 || parsed === undefined)
    throw new RuleSetError(sourceName, collectProblems(reader, ruleIds));
  return { ...parsed, sourceName, version: ruleSetVersion(parsed.name, yamlText) };
}

function readRuleSet(
  reader: Reader,
  root: Node | null,
  ruleIds: Map<number, string>,
): Omit<RuleSet, 'sourceName' | 'version'> | undefined {
  const entries = reader.map(root, 'rule set', ROOT_KEYS);
  if (entries === undefined) return undefined;
  const nameEntry = reader.required(entries, 'name', root, 'rule set');
  const name = nameEntry && reader.string(nameEntry, 'rule set name');
  if (nameEntry && name !== undefined && !SET_NAME.test(name)) {
    reader.report(
      RuleSetErrorCode.INVALID_VALUE,
      nameEntry.value,
      `rule set name "${name}" must be lower case letters and digits separated by "-", "_" or "."`,
    );
  }
  const descriptionEntry = entries.get('description');
  const description = descriptionEntry ? (reader.string(descriptionEntry, 'rule set description') ?? null) : null;
  const listsEntry = entries.get('lists');
  const lists = listsEntry ? readLists(reader, listsEntry) : {};
  const compiler = new RuleConditionCompiler(lists);
  const rulesEntry = reader.required(entries, 'rules', root, 'rule set');
  const ruleNodes = rulesEntry ? (reader.sequence(rulesEntry, 'rules') ?? []) : [];
  const rules = readRules(reader, ruleNodes, compiler, ruleIds);
  if (name === undefined) return undefined;
  return { name, description, lists, rules: rules.sort(byPriorityThenId) };
}

function readLists(reader: Reader, entry: MapEntry): Record<string, readonly string[]> {
  const lists: Record<string, readonly string[]> = {};
  const names = reader.map(entry.value, 'lists', null, entry.key);
  for (const [name, list] of names ?? []) {
    if (!LIST_NAME.test(name)) {
      reader.report(
        RuleSetErrorCode.INVALID_LIST,
        list.key,
        `list name "${name}" must be lower case letters, digits and "_" (it is read as lists.${name})`,
      );
      continue;
    }
    const items = reader.sequence(list, `list "${name}"`);
    if (items === undefined) continue;
    const values: string[] = [];
    items.forEach((item, index) => {
      if (isScalar(item) && typeof item.value === 'string' && item.value !== '') values.push(item.value);
      else
        reader.report(
          RuleSetErrorCode.INVALID_LIST,
          item,
          `list "${name}": item ${index + 1} must be a non-empty string (quote numbers such as "6051")`,
          list.key,
        );
    });
    lists[name] = Object.freeze(values);
  }
  return Object.freeze(lists);
}

function readRules(
  reader: Reader,
  nodes: readonly (Node | null)[],
  compiler: RuleConditionCompiler,
  ruleIds: Map<number, string>,
): CompiledRule[] {
  const rules: CompiledRule[] = [];
  const firstLineById = new Map<string, number>();
  nodes.forEach((node, index) => {
    const before = reader.problems.length;
    const rule = readRule(reader, node, index, compiler, firstLineById);
    // Tag this rule's problems with its id, so a caller can show them next to the rule.
    const id = idOf(node);
    if (id !== undefined) for (let i = before; i < reader.problems.length; i += 1) ruleIds.set(i, id);
    if (rule) rules.push(rule);
  });
  return rules;
}

function readRule(
  reader: Reader,
  node: Node | null,
  index: number,
  compiler: RuleConditionCompiler,
  firstLineById: Map<string, number>,
): CompiledRule | undefined {
  const written = idOf(node);
  const entries = reader.map(node, written === undefined ? `rules[${index}]` : `rule "${written}"`, RULE_KEYS);
  if (entries === undefined) return undefined;
  const { id, unique } = readId(reader, entries, node, index, firstLineById);
  const label = id === undefined ? `rules[${index}]` : `rule "${id}"`;

  const actionEntry = reader.required(entries, 'action', node, label);
  const action = actionEntry && reader.string(actionEntry, `${label}: action`);
  if (actionEntry && action !== undefined && !ACTIONS.includes(action)) {
    reader.report(
      RuleSetErrorCode.INVALID_ACTION,
      actionEntry.value,
      `${label}: action must be one of ${ACTIONS.join(', ')}, got "${action}"`,
    );
  }
  const priorityEntry = reader.required(entries, 'priority', node, label);
  const priority = priorityEntry && reader.integer(priorityEntry, `${label}: priority`);
  if (priorityEntry && priority !== undefined && (priority < INT32.min || priority > INT32.max)) {
    reader.report(
      RuleSetErrorCode.INVALID_VALUE,
      priorityEntry.value,
      `${label}: priority must fit in 32 bits, got ${priority}`,
    );
  }
  const enabledEntry = entries.get('enabled');
  const enabled = enabledEntry ? reader.boolean(enabledEntry, `${label}: enabled`) : true;
  const descriptionEntry = entries.get('description');
  const description = descriptionEntry ? reader.string(descriptionEntry, `${label}: description`) : null;
  const template = readReason(reader, entries, node, label);
  const whenEntry = reader.required(entries, 'when', node, label);
  const when = whenEntry && reader.string(whenEntry, `${label}: when`);
  const condition =
    whenEntry && when !== undefined ? compileCondition(reader, compiler, whenEntry, when, label) : undefined;

  if (id === undefined || !unique || action === undefined || !ACTIONS.includes(action) || priority === undefined)
    return undefined;
  if (
    enabled === undefined ||
    description === undefined ||
    template === undefined ||
    when === undefined ||
    condition === undefined
  )
    return undefined;
  return {
    id,
    description,
    reason: template.source,
    action: action as RuleAction,
    priority,
    enabled,
    when,
    line: reader.position(node).line,
    condition: condition.program,
    phase: condition.phase,
    template,
  };
}

function readId(
  reader: Reader,
  entries: Map<string, MapEntry>,
  node: Node | null,
  index: number,
  firstLineById: Map<string, number>,
): { id: string | undefined; unique: boolean } {
  const entry = reader.required(entries, 'id', node, `rules[${index}]`);
  const id = entry && reader.string(entry, `rules[${index}]: id`);
  if (entry === undefined || id === undefined) return { id: undefined, unique: false };
  if (!RULE_ID.test(id)) {
    reader.report(
      RuleSetErrorCode.INVALID_ID,
      entry.value,
      `rules[${index}]: id "${id}" must be lower case letters and digits separated by "-" or "_"`,
    );
    return { id: undefined, unique: false };
  }
  const first = firstLineById.get(id);
  if (first !== undefined) {
    reader.report(
      RuleSetErrorCode.DUPLICATE_ID,
      entry.value,
      `rule "${id}": duplicate id (first defined at line ${first})`,
    );
    return { id, unique: false };
  }
  firstLineById.set(id, reader.position(entry.value).line);
  return { id, unique: true };
}

function readReason(
  reader: Reader,
  entries: Map<string, MapEntry>,
  node: Node | null,
  label: string,
): ReasonTemplate | undefined {
  const entry = entries.get('reason') ?? entries.get('description');
  if (entry === undefined) {
    reader.report(RuleSetErrorCode.MISSING_KEY, node, `${label}: missing required key "reason" (or "description")`);
    return undefined;
  }
  const source = reader.string(entry, `${label}: ${entry.key.value as string}`);
  if (source === undefined) return undefined;
  const compiled = compileReasonTemplate(source);
  if (!Array.isArray(compiled)) return compiled;
  for (const fault of compiled) {
    reader.reportAt(
      RuleSetErrorCode.INVALID_PLACEHOLDER,
      offsetOf(reader, entry.value, fault.index),
      `${label}: ${fault.message}`,
    );
  }
  return undefined;
}

function compileCondition(
  reader: Reader,
  compiler: RuleConditionCompiler,
  entry: MapEntry,
  when: string,
  label: string,
) {
  if (when.trim() === '') {
    reader.report(
      RuleSetErrorCode.INVALID_VALUE,
      entry.value,
      `${label}: when must be a CEL condition, got an empty string`,
    );
    return undefined;
  }
  const compiled = compiler.compile(when);
  if (compiled.ok) return compiled;
  const code = CONDITION_FAULT_CODES[compiled.kind];
  const verb = CONDITION_FAULT_VERBS[compiled.kind];
  reader.reportAt(
    code,
    offsetOf(reader, entry.value, compiled.index),
    `${label}: condition ${verb}: ${compiled.message}`,
  );
  return undefined;
}

const CONDITION_FAULT_CODES = {
  syntax: RuleSetErrorCode.CONDITION_SYNTAX,
  type: RuleSetErrorCode.CONDITION_TYPE,
  phase: RuleSetErrorCode.CONDITION_PHASE,
} as const;
const CONDITION_FAULT_VERBS = {
  syntax: 'does not compile',
  type: 'does not type-check',
  phase: 'cannot run',
} as const;

function offsetOf(reader: Reader, node: Node | null, index: number): number {
  return isScalar(node) ? reader.offsetInScalar(node, index) : (node?.range?.[0] ?? 0);
}

function idOf(node: Node | null): string | undefined {
  const id: unknown = isMap(node) ? node.get('id') : undefined;
  return typeof id === 'string' ? id : undefined;
}

function byPriorityThenId(a: CompiledRule, b: CompiledRule): number {
  return b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function collectProblems(reader: Reader, ruleIds: Map<number, string>): RuleSetProblem[] {
  return reader.problems
    .map((problem, index) => ({ ...problem, ruleId: ruleIds.get(index) ?? null }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
