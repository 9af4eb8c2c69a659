import { RULE_GEO_FIELDS, RULE_TRANSACTION_FIELDS, type RuleContext, type RuleGeo } from './rule-context.builder';

/** Compiled once at load; rendering only walks the parts. */
export interface ReasonTemplate {
  readonly source: string;
  readonly parts: readonly (string | ((context: RuleContext) => unknown))[];
}

export interface TemplateFault {
  readonly message: string;
  /** Character index in the template where the fault is. */
  readonly index: number;
}

/** What a placeholder renders as when its value is absent (no geo, no such feature, no score). */
export const MISSING_VALUE = 'n/a';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Compiles a reason such as "Amount {{amount_major}} {{currency}} above limit". A placeholder names a
 * `txn` field (bare or as `txn.<field>`, including `geo.<field>` and `attributes.<key>`),
 * `features.<name>` or `score`.
 */
export function compileReasonTemplate(source: string): ReasonTemplate | TemplateFault[] {
  const parts: (string | ((context: RuleContext) => unknown))[] = [];
  const faults: TemplateFault[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const index = match.index;
    pushText(parts, source.slice(last, index), faults, last);
    const path = match[1] ?? '';
    const accessor = accessorFor(path);
    if (typeof accessor === 'string') faults.push({ message: accessor, index });
    else parts.push(accessor);
    last = index + match[0].length;
  }
  pushText(parts, source.slice(last), faults, last);
  return faults.length > 0 ? faults : { source, parts };
}

export function renderReason(template: ReasonTemplate, context: RuleContext): string {
  let text = '';
  for (const part of template.parts) text += typeof part === 'string' ? part : display(part(context));
  return text;
}

function pushText(
  parts: (string | ((context: RuleContext) => unknown))[],
  text: string,
  faults: TemplateFault[],
  offset: number,
): void {
  const stray = text.search(/\{\{|\}\}/);
  if (stray !== -1)
    faults.push({ message: `unbalanced "${text.slice(stray, stray + 2)}" in reason`, index: offset + stray });
  if (text.length > 0) parts.push(text);
}

function accessorFor(path: string): ((context: RuleContext) => unknown) | string {
  const segments = path.split('.');
  const [head, ...rest] = segments;
  if (head === 'score' && rest.length === 0) return (context) => context.score;
  if (head === 'features' && rest.length === 1 && rest[0] !== '') {
    const name = rest[0] as string;
    return (context) => (Object.hasOwn(context.features, name) ? context.features[name] : undefined);
  }
  const fieldPath = head === 'txn' ? rest : segments;
  return (
    transactionAccessor(fieldPath) ?? `unknown placeholder "{{${path}}}" (use a txn field, features.<name> or score)`
  );
}

function transactionAccessor(path: readonly string[]): ((context: RuleContext) => unknown) | undefined {
  const [field, sub, ...more] = path;
  if (field === undefined || !Object.hasOwn(RULE_TRANSACTION_FIELDS, field) || more.length > 0) return undefined;
  if (field === 'geo') {
    if (sub === undefined || !Object.hasOwn(RULE_GEO_FIELDS, sub)) return undefined;
    const key = sub as keyof RuleGeo;
    return (context) => context.txn.geo?.[key];
  }
  if (field === 'attributes') {
    if (sub === undefined || sub === '') return undefined;
    return (context) => (Object.hasOwn(context.txn.attributes, sub) ? context.txn.attributes[sub] : undefined);
  }
  if (sub !== undefined) return undefined;
  if (field === 'amount_major') {
    // Rendered with the currency's decimals: "1500.00", not "1500".
    return (context) => context.txn.amount_major.toFixed(Number(context.txn.currency_exponent));
  }
  const key = field as keyof RuleContext['txn'];
  return (context) => context.txn[key];
}

function display(value: unknown): string {
  if (value === undefined || value === null || value === '') return MISSING_VALUE;
  // Keep reasons short and stable: at most four decimals for features and scores.
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
  return String(value);
}
