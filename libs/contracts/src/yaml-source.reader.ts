import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Scalar,
} from 'yaml';

// Shared by the configuration languages (rule sets, decision policies): YAML read with line and column for
// every problem. It lives here because domain libraries may depend on contracts only, not on each other.

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface YamlProblem<C extends string> extends SourcePosition {
  readonly code: C;
  readonly message: string;
}

/** Which of the caller's error codes the reader uses for the problems it finds itself. */
export interface YamlCodes<C extends string> {
  readonly syntax: C;
  readonly invalidType: C;
  readonly unknownKey: C;
  readonly missingKey: C;
}

export interface MapEntry {
  readonly key: Scalar;
  readonly value: Node | null;
}

/**
 * Reads a YAML text through the `yaml` document API so that every value keeps its place in the source,
 * and collects problems (with line and column) instead of stopping at the first.
 */
export class YamlSourceReader<C extends string> {
  readonly problems: YamlProblem<C>[] = [];
  private readonly lineCounter = new LineCounter();
  private document: Document.Parsed | undefined;

  constructor(
    readonly text: string,
    private readonly codes: YamlCodes<C>,
  ) {}

  /** The root node; undefined when the text is not valid YAML (the syntax problems are recorded). */
  parseRoot(): Node | null | undefined {
    // uniqueKeys (the default) turns a repeated key into an error rather than a silent overwrite.
    const document = parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: true, uniqueKeys: true });
    this.document = document;
    for (const error of document.errors) {
      const [start] = error.linePos ?? [];
      const line = start?.line ?? 1;
      const column = start?.col ?? 1;
      // prettyErrors appends " at line L, column C:" and a source excerpt; we print our own location.
      const summary = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      this.problems.push({ code: this.codes.syntax, message: `invalid YAML: ${summary}`, line, column });
    }
    if (document.errors.length > 0) return undefined;
    return this.resolve(document.contents);
  }

  position(node: Node | null | undefined, fallback?: Node | null): SourcePosition {
    const located = node?.range ? node : fallback;
    return this.positionAt(located?.range?.[0] ?? 0);
  }

  positionAt(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  report(code: C, node: Node | null | undefined, message: string, fallback?: Node | null): void {
    this.problems.push({ code, message, ...this.position(node, fallback) });
  }

  reportAt(code: C, offset: number, message: string): void {
    this.problems.push({ code, message, ...this.positionAt(offset) });
  }

  /**
   * The entries of a mapping, keyed by name. Reports a non-mapping, a non-string key and any key outside
   * `allowedKeys` (null: any key); those entries are left out.
   */
  map(
    node: Node | null | undefined,
    what: string,
    allowedKeys: readonly string[] | null,
    owner?: Node | null,
  ): Map<string, MapEntry> | undefined {
    if (!isMap(node)) {
      this.report(this.codes.invalidType, node, `${what} must be a mapping`, owner);
      return undefined;
    }
    const entries = new Map<string, MapEntry>();
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string') {
        this.report(this.codes.invalidType, isScalar(key) ? key : null, `${what}: keys must be strings`, node);
        continue;
      }
      if (allowedKeys !== null && !allowedKeys.includes(key.value)) {
        this.report(
          this.codes.unknownKey,
          key,
          `${what}: unknown key "${key.value}" (expected one of: ${allowedKeys.join(', ')})`,
        );
        continue;
      }
      entries.set(key.value, { key, value: this.resolve(pair.value as Node | null) });
    }
    return entries;
  }

  /** The value of a required key; reports it missing (at the mapping) when absent. */
  required(
    entries: Map<string, MapEntry>,
    key: string,
    owner: Node | null | undefined,
    what: string,
  ): MapEntry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) this.report(this.codes.missingKey, owner, `${what}: missing required key "${key}"`);
    return entry;
  }

  string(entry: MapEntry, what: string): string | undefined {
    const node = entry.value;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.report(this.codes.invalidType, node, `${what} must be a string${this.describe(node)}`, entry.key);
    return undefined;
  }

  integer(entry: MapEntry, what: string): number | undefined {
    const node = entry.value;
    if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
    this.report(this.codes.invalidType, node, `${what} must be an integer${this.describe(node)}`, entry.key);
    return undefined;
  }

  number(entry: MapEntry, what: string): number | undefined {
    const node = entry.value;
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
    this.report(this.codes.invalidType, node, `${what} must be a number${this.describe(node)}`, entry.key);
    return undefined;
  }

  boolean(entry: MapEntry, what: string): boolean | undefined {
    const node = entry.value;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.report(this.codes.invalidType, node, `${what} must be true or false${this.describe(node)}`, entry.key);
    return undefined;
  }

  /** The items of a sequence (aliases resolved). */
  sequence(entry: MapEntry, what: string): (Node | null)[] | undefined {
    const node = entry.value;
    if (isSeq(node)) return node.items.map((item) => this.resolve(item as Node | null));
    this.report(this.codes.invalidType, node, `${what} must be a list`, entry.key);
    return undefined;
  }

  /**
   * The source offset of character `index` of a string scalar's value, so that an error found inside
   * an embedded expression points at the right line and column of the file. Walks value and source
   * together, letting indentation, folded line breaks and simple escapes differ; falls back to the
   * scalar's start when the two cannot be matched.
   */
  offsetInScalar(node: Scalar, index: number): number {
    const value = String(node.value);
    // "Unexpected end of input" points past a block scalar's final line break: show it after the last token.
    index = Math.min(index, value.trimEnd().length);
    const [start, end] = node.range ?? [0, 0];
    let j = contentStart(this.text, node, start);
    let i = 0;
    while (i < index) {
      if (j >= end) return start;
      const v = value[i] as string;
      const s = this.text[j] as string;
      if (v === s) {
        i += 1;
        j += 1;
      } else if (isBlank(s)) {
        j += 1;
      } else if (isBlank(v)) {
        i += 1;
      } else if ((s === '\\' || (s === "'" && node.type === 'QUOTE_SINGLE')) && this.text[j + 1] === v) {
        i += 1;
        j += 2;
      } else {
        return start;
      }
    }
    const target = value[index];
    while (target !== undefined && !isBlank(target) && j < end && isBlank(this.text[j] as string)) j += 1;
    return j;
  }

  private resolve(node: Node | null | undefined): Node | null {
    if (node === undefined || node === null) return null;
    if (isAlias(node) && this.document) return (node.resolve(this.document) as Node | undefined) ?? null;
    return node;
  }

  private describe(node: Node | null): string {
    if (node === null) return ', got nothing';
    if (isScalar(node))
      return `, got ${node.value === null ? 'null' : typeof node.value} ${JSON.stringify(node.value)}`;
    return isSeq(node) ? ', got a list' : isMap(node) ? ', got a mapping' : '';
  }
}

function isBlank(char: string): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

function contentStart(text: string, node: Scalar, start: number): number {
  switch (node.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return start + 1;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      // Content begins on the line after the `|` / `>` header (which may carry a comment).
      const newline = text.indexOf('\n', start);
      return newline === -1 ? start : newline + 1;
    }
    default:
      return start;
  }
}
