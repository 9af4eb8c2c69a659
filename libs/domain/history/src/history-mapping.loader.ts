import { Channel, PaymentMethod } from '@argus/contracts';
import type { z } from 'zod';
// The built-in mappings are deployable config, not a project: importing them keeps this library free of file
// I/O, and tsc copies them into dist at the same relative place.
/* eslint-disable @nx/enforce-module-boundaries */
import argusMapping from '../../../../deploy/config/mappings/argus.json';
import paysimMapping from '../../../../deploy/config/mappings/paysim.json';
import sparkovMapping from '../../../../deploy/config/mappings/sparkov.json';
/* eslint-enable @nx/enforce-module-boundaries */
import { HistoryMappingError, HistoryMappingErrorCode } from './history-mapping.errors';
import { historyMappingSchema, type FieldSpec, type HistoryMapping, type MappedField } from './history-mapping.schema';
import { compileTimeReader } from './history-time.parser';

const BUILT_IN = { argus: argusMapping, sparkov: sparkovMapping, paysim: paysimMapping } as const;
export type BuiltInMappingName = keyof typeof BUILT_IN;
export const BUILT_IN_MAPPINGS = Object.keys(BUILT_IN) as BuiltInMappingName[];

const REQUIRED_FIELDS: readonly MappedField[] = ['transaction_id', 'customer_id', 'currency', 'merchant_id'];
const ENUM_FIELDS: Partial<Record<MappedField, ReadonlySet<string>>> = {
  channel: new Set(Object.values(Channel)),
  payment_method: new Set(Object.values(PaymentMethod)),
};
const PAN_LINKABLE: ReadonlySet<string> = new Set(['customer_id', 'account_id']);

/**
 * Validates a mapping (parsed JSON) and returns it typed. Every problem is reported at once, each with its
 * path, e.g. `fields.channel.map.grocery_pos: "SHOP" is not a Channel`.
 */
export function loadMapping(json: unknown): HistoryMapping {
  const parsed = historyMappingSchema.safeParse(json);
  const name = mappingName(json);
  if (!parsed.success) {
    throw new HistoryMappingError(
      HistoryMappingErrorCode.INVALID_MAPPING,
      `invalid history mapping${name}`,
      parsed.error.issues.map(describeIssue),
    );
  }
  const problems = checkMapping(parsed.data);
  if (problems.length > 0) {
    throw new HistoryMappingError(HistoryMappingErrorCode.INVALID_MAPPING, `invalid history mapping${name}`, problems);
  }
  return parsed.data;
}

/** One of the mappings shipped in deploy/config/mappings: `argus`, `sparkov` or `paysim`. */
export function builtInMapping(name: string): HistoryMapping {
  if (!Object.hasOwn(BUILT_IN, name)) {
    throw new HistoryMappingError(
      HistoryMappingErrorCode.UNKNOWN_BUILT_IN,
      `no built-in history mapping "${name}" (known: ${BUILT_IN_MAPPINGS.join(', ')})`,
    );
  }
  return loadMapping(BUILT_IN[name as BuiltInMappingName]);
}

/** Columns a file must have for this mapping (optional ones excluded), in first-use order. */
export function requiredColumns(mapping: HistoryMapping): string[] {
  const columns = new Set<string>();
  const addSpec = (spec: FieldSpec | undefined): void => {
    if (spec === undefined || spec.optional === true) return;
    if (spec.column !== undefined) columns.add(spec.column);
    for (const c of spec.columns ?? []) columns.add(c);
  };
  Object.values(mapping.fields).forEach(addSpec);
  if (mapping.pan !== undefined && mapping.pan.optional !== true) columns.add(mapping.pan.column);
  columns.add(mapping.time.column);
  columns.add(mapping.amount.column);
  if (mapping.geo !== undefined && mapping.geo.optional !== true) {
    columns.add(mapping.geo.lat);
    columns.add(mapping.geo.lon);
  }
  addSpec(mapping.geo?.country);
  addSpec(mapping.geo?.city);
  Object.values(mapping.attributes ?? {}).forEach(addSpec);
  if (mapping.label !== undefined && mapping.label.optional !== true) columns.add(mapping.label.column);
  return [...columns];
}

/** Required columns missing from a CSV header, to refuse a file before its first row. */
export function missingColumns(mapping: HistoryMapping, header: readonly string[]): string[] {
  const present = new Set(header);
  return requiredColumns(mapping).filter((c) => !present.has(c));
}

function mappingName(json: unknown): string {
  const name = typeof json === 'object' && json !== null ? (json as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? ` "${name}"` : '';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return `${path === '' ? '(mapping)' : path}: ${issue.message}`;
}

function checkMapping(mapping: HistoryMapping): string[] {
  const problems: string[] = [];
  const panColumn = mapping.pan?.column;

  for (const field of REQUIRED_FIELDS) {
    if (mapping.fields[field] === undefined) problems.push(`fields.${field}: is required`);
  }
  if (mapping.fields.card_id === undefined && mapping.pan === undefined) {
    problems.push('fields.card_id: is required unless "pan" names the card number column');
  }
  for (const [field, spec] of Object.entries(mapping.fields) as Array<[MappedField, FieldSpec | undefined]>) {
    if (spec !== undefined) problems.push(...checkField(`fields.${field}`, field, spec, panColumn));
  }
  if (mapping.geo !== undefined) {
    if (mapping.geo.country) problems.push(...checkField('geo.country', 'geo.country', mapping.geo.country, panColumn));
    if (mapping.geo.city) problems.push(...checkField('geo.city', 'geo.city', mapping.geo.city, panColumn));
    for (const c of [mapping.geo.lat, mapping.geo.lon]) {
      if (c === panColumn) problems.push(`geo: column "${c}" is the card number column`);
    }
  }
  for (const [key, spec] of Object.entries(mapping.attributes ?? {})) {
    problems.push(...checkField(`attributes.${key}`, `attributes.${key}`, spec, panColumn));
  }

  const time = compileTimeReader(mapping.time);
  if (typeof time === 'string') problems.push(`time: ${time}`);
  if (mapping.time.optional === true) problems.push('time.optional: every transaction needs a time');
  if (mapping.amount.exponent !== undefined && mapping.amount.unit === 'minor') {
    problems.push('amount.exponent: only applies to major units');
  }
  if (mapping.amount.exponent !== undefined && mapping.fields.currency?.constant === undefined) {
    problems.push('amount.exponent: needs a constant currency (otherwise the exponent is looked up per row)');
  }
  problems.push(...checkLabel(mapping));

  if (panColumn !== undefined) {
    const others = [
      mapping.time.column,
      mapping.amount.column,
      mapping.label?.column,
      mapping.label?.report_time?.column,
    ];
    if (others.includes(panColumn)) problems.push(`pan.column: "${panColumn}" is also used for time, amount or label`);
  }
  return problems;
}

function checkField(path: string, field: string, spec: FieldSpec, panColumn: string | undefined): string[] {
  const problems: string[] = [];
  const sources = (['column', 'columns', 'constant', 'generate'] as const).filter((k) => spec[k] !== undefined);
  if (sources.length !== 1) {
    problems.push(
      `${path}: needs exactly one of column, columns, constant, generate (has ${sources.join(', ') || 'none'})`,
    );
    return problems;
  }
  const fromColumns = spec.column !== undefined || spec.columns !== undefined;
  if (spec.columns !== undefined && spec.join === undefined) problems.push(`${path}.join: is required with columns`);
  if (spec.join !== undefined && spec.columns === undefined) problems.push(`${path}.join: only applies to columns`);
  if ((spec.map !== undefined || spec.default !== undefined) && !fromColumns) {
    problems.push(`${path}.map: only applies to column values`);
  }
  if (spec.optional !== undefined && !fromColumns) problems.push(`${path}.optional: only applies to column values`);
  if (spec.generate !== undefined && field !== 'transaction_id') {
    problems.push(`${path}.generate: only transaction_id can be generated`);
  }
  problems.push(...checkPanUse(path, field, spec, panColumn));
  problems.push(...checkEnum(path, field, spec));
  return problems;
}

/** The card number column may only feed `pan` and fields explicitly marked as carrying the card's token. */
function checkPanUse(path: string, field: string, spec: FieldSpec, panColumn: string | undefined): string[] {
  const problems: string[] = [];
  if (spec.pan === true) {
    if (!PAN_LINKABLE.has(field)) problems.push(`${path}.pan: only customer_id and account_id can take the card token`);
    if (panColumn === undefined) problems.push(`${path}.pan: needs "pan" to name the card number column`);
    else if (spec.column !== panColumn)
      problems.push(`${path}.pan: column must be the card number column "${panColumn}"`);
    if (spec.map !== undefined || spec.prefix !== undefined || spec.default !== undefined) {
      problems.push(`${path}.pan: cannot be combined with map, default or prefix`);
    }
  } else if (panColumn !== undefined && (spec.column === panColumn || spec.columns?.includes(panColumn))) {
    problems.push(
      `${path}: column "${panColumn}" is the card number column; mark the field "pan": true or use another column`,
    );
  }
  return problems;
}

function checkEnum(path: string, field: string, spec: FieldSpec): string[] {
  const allowed = ENUM_FIELDS[field as MappedField];
  if (allowed === undefined) return [];
  const problems: string[] = [];
  const mustBeMember = (where: string, value: string | number): void => {
    if (!allowed.has(String(value))) problems.push(`${where}: "${value}" is not one of ${[...allowed].join(', ')}`);
  };
  if (spec.constant !== undefined) mustBeMember(`${path}.constant`, spec.constant);
  for (const [from, to] of Object.entries(spec.map ?? {})) mustBeMember(`${path}.map.${from}`, to);
  if (spec.default !== undefined) mustBeMember(`${path}.default`, spec.default);
  if (spec.prefix !== undefined) problems.push(`${path}.prefix: not allowed on an enum field`);
  return problems;
}

function checkLabel(mapping: HistoryMapping): string[] {
  const label = mapping.label;
  if (label === undefined) return [];
  const problems: string[] = [];
  if (label.report_time === undefined && label.delay_hours === undefined) {
    problems.push('label: needs report_time or delay_hours (when the label became known)');
  }
  if (label.report_time !== undefined) {
    const reader = compileTimeReader(label.report_time);
    if (typeof reader === 'string') problems.push(`label.report_time: ${reader}`);
  }
  const fraud = new Set(label.fraud_values.map(normaliseLabel));
  const overlap = (label.legit_values ?? []).filter((v) => fraud.has(normaliseLabel(v)));
  if (overlap.length > 0) problems.push(`label: ${overlap.join(', ')} listed as both fraud and legit`);
  return problems;
}

export function normaliseLabel(value: string): string {
  return value.trim().toLowerCase();
}
