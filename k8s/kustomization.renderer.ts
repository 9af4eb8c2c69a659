import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * A small, strict subset of Kustomize, so the manifests can be rendered and checked where no `kubectl` is
 * installed. It understands exactly the fields this tree uses and throws on any other: a new Kustomize
 * feature in k8s/ must be taught here (and is then compared with `kubectl kustomize` where that exists).
 * Generated ConfigMaps keep their plain names; which of them Kustomize would suffix with a content hash is
 * reported instead.
 */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Rendered {
  readonly objects: K8sObject[];
  /** Generated ConfigMaps whose name Kustomize suffixes with a hash of their content. */
  readonly hashedConfigMaps: ReadonlySet<string>;
  /** Every file the kustomizations read, relative to the rendered directory's repository root. */
  readonly files: ReadonlySet<string>;
  /** Files read by a configMapGenerator (payloads such as the rule set, not Kubernetes objects). */
  readonly generatorFiles: ReadonlySet<string>;
}

interface ConfigMapGenerator {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  files?: string[];
  options?: { disableNameSuffixHash?: boolean };
}

interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  resources?: string[];
  configMapGenerator?: ConfigMapGenerator[];
  images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
  patches?: Array<{ target: { kind?: string; name?: string }; patch: string }>;
}

const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'configMapGenerator',
  'images',
  'patches',
]);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export class KustomizationError extends Error {
  override name = 'KustomizationError';
}

/** Parses every YAML document of a file; empty documents (a file of comments) are dropped. */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => {
    if (doc.errors.length > 0) throw new KustomizationError(`${file}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

export function renderKustomization(dir: string, repoRoot: string): Rendered {
  const files = new Set<string>();
  const generatorFiles = new Set<string>();
  const hashed = new Set<string>();
  const objects = build(dir, { repoRoot, files, generatorFiles, hashed });
  return { objects, hashedConfigMaps: hashed, files, generatorFiles };
}

interface BuildState {
  readonly repoRoot: string;
  readonly files: Set<string>;
  readonly generatorFiles: Set<string>;
  readonly hashed: Set<string>;
}

function build(dir: string, state: BuildState): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  const where = relative(state.repoRoot, file);
  if (!existsSync(file)) throw new KustomizationError(`${relative(state.repoRoot, dir)} has no kustomization.yaml`);
  state.files.add(where);
  const [kustomization] = readYamlDocuments(file) as [Kustomization];
  if (kustomization.kind !== 'Kustomization') throw new KustomizationError(`${where}: kind is not Kustomization`);
  const unknown = Object.keys(kustomization).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw new KustomizationError(`${where}: unsupported field(s) ${unknown.join(', ')}`);

  const objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    if (!existsSync(path)) throw new KustomizationError(`${where}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) {
      objects.push(...build(path, state));
    } else {
      state.files.add(relative(state.repoRoot, path));
      objects.push(...(readYamlDocuments(path) as K8sObject[]));
    }
  }
  for (const generator of kustomization.configMapGenerator ?? []) generate(dir, where, generator, objects, state);
  for (const { target, patch } of kustomization.patches ?? []) {
    const ops = readPatch(where, patch);
    const targets = objects.filter(
      (object) =>
        (target.kind === undefined || object.kind === target.kind) &&
        (target.name === undefined || object.metadata.name === target.name),
    );
    if (targets.length === 0)
      throw new KustomizationError(`${where}: patch target ${JSON.stringify(target)} matches nothing`);
    for (const object of targets) for (const op of ops) applyOp(object, op, where);
  }
  for (const image of kustomization.images ?? []) {
    let used = false;
    for (const container of containersOf(objects)) {
      const ref = parseImage(container.image);
      if (ref.name !== image.name) continue;
      used = true;
      const name = image.newName ?? ref.name;
      container.image = image.digest
        ? `${name}@${image.digest}`
        : `${name}${image.newTag ? `:${image.newTag}` : ref.tag ? `:${ref.tag}` : ''}`;
    }
    if (!used) throw new KustomizationError(`${where}: image ${image.name} is used by no container`);
  }
  if (kustomization.namespace !== undefined) {
    for (const object of objects) {
      if (object.kind === 'Namespace') object.metadata.name = kustomization.namespace;
      else if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
    }
  }
  return objects;
}

function generate(
  dir: string,
  where: string,
  generator: ConfigMapGenerator,
  objects: K8sObject[],
  state: BuildState,
): void {
  const data: Record<string, string> = {};
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf('=');
    if (at < 1) throw new KustomizationError(`${where}: literal "${literal}" is not KEY=VALUE`);
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  for (const entry of generator.files ?? []) {
    const [key, source] = entry.includes('=') ? (entry.split('=', 2) as [string, string]) : [basename(entry), entry];
    const path = join(dir, source);
    if (!existsSync(path)) throw new KustomizationError(`${where}: configMapGenerator file ${source} does not exist`);
    if (relative(dir, path).startsWith('..')) {
      throw new KustomizationError(`${where}: ${source} is outside the kustomization's folder (Kustomize refuses it)`);
    }
    state.files.add(relative(state.repoRoot, path));
    state.generatorFiles.add(relative(state.repoRoot, path));
    data[key] = readFileSync(path, 'utf8');
  }
  const behavior = generator.behavior ?? 'create';
  const existing = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === generator.name);
  if (behavior === 'create') {
    if (existing) throw new KustomizationError(`${where}: ConfigMap ${generator.name} is generated twice`);
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data });
    if (!generator.options?.disableNameSuffixHash) state.hashed.add(generator.name);
    return;
  }
  if (!existing)
    throw new KustomizationError(`${where}: ${behavior} of ConfigMap ${generator.name}, which is not there`);
  existing['data'] = behavior === 'merge' ? { ...(existing['data'] as Record<string, string>), ...data } : data;
}

function readPatch(where: string, patch: string): JsonPatchOp[] {
  const ops: unknown = parseAllDocuments(patch)[0]?.toJS();
  if (!Array.isArray(ops)) throw new KustomizationError(`${where}: only inline JSON 6902 patches are supported`);
  return ops as JsonPatchOp[];
}

function applyOp(object: K8sObject, { op, path, value }: JsonPatchOp, where: string): void {
  const keys = path
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent: unknown = object;
  for (const key of keys) parent = (parent as Record<string, unknown> | undefined)?.[key];
  if (last === undefined || typeof parent !== 'object' || parent === null) {
    throw new KustomizationError(`${where}: ${op} ${path}: no such path in ${object.kind}/${object.metadata.name}`);
  }
  const container = parent as Record<string, unknown>;
  if (op !== 'add' && !(last in container)) {
    throw new KustomizationError(`${where}: ${op} ${path}: nothing there in ${object.kind}/${object.metadata.name}`);
  }
  if (op === 'remove') {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last];
  } else if (Array.isArray(container) && op === 'add') {
    container.splice(last === '-' ? container.length : Number(last), 0, value);
  } else {
    container[last] = value;
  }
}

interface Container {
  name: string;
  image: string;
}

/** Containers and init containers of every pod template (Deployment, Job, …) in the objects. */
export function containersOf(objects: readonly K8sObject[]): Container[] {
  return objects.flatMap((object) => {
    const podSpec = podSpecOf(object);
    return podSpec ? [...(podSpec.initContainers ?? []), ...podSpec.containers] : [];
  });
}

export function podSpecOf(
  object: K8sObject,
): { containers: Container[]; initContainers?: Container[]; [field: string]: unknown } | undefined {
  const spec = object['spec'] as { template?: { spec?: unknown } } | undefined;
  return spec?.template?.spec as ReturnType<typeof podSpecOf>;
}

/** `registry:5000/team/app:1.2@sha256:…` → name `registry:5000/team/app`, tag `1.2`, digest `sha256:…`. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.split('@', 2) as [string, string | undefined];
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  if (colon > slash) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}
