import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import type { ConfigSpec } from '@argus/config';
import { ALL_TOPICS, Topics, type TopicKey } from '@argus/contracts';
import { parseCasePolicy } from '@argus/case';
import { parsePolicy } from '@argus/decision';
import { parseRuleSet } from '@argus/rules';
import { LOCAL_SERVICES, type ServiceName } from '@argus/testing';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, type IContainer, type IPodSpec } from 'kubernetes-models/v1';
import { parse, parseAllDocuments } from 'yaml';
import { auditSettings } from '../apps/audit/src/audit.config';
import { AUDITED } from '../apps/audit/src/audit.service';
import { caseSettings } from '../apps/case/src/case.config';
import { consoleSettings } from '../apps/console/src/console.config';
import { combinerSettings } from '../apps/decision-combiner/src/combiner.config';
import { featureSettings } from '../apps/feature/src/feature.config';
import { gatewaySettings } from '../apps/gateway/src/gateway.config';
import { ingestionSettings } from '../apps/ingestion/src/ingestion.config';
import { rulesSettings } from '../apps/rules/src/rules.config';
import { scoringSettings } from '../apps/scoring/src/scoring.config';
import {
  containersOf,
  parseImage,
  podSpecOf,
  readYamlDocuments,
  renderKustomization,
  type K8sObject,
  type Rendered,
} from './kustomization.renderer';

/**
 * Offline proof of the deployment descriptions (no cluster, no Docker engine on these machines): every
 * Kubernetes object is checked against the official schemas (kubernetes-models), the kustomizations are
 * rendered, and what matters is asserted against the code itself — the ports the services listen on, the
 * variables their config reads, the topics and partitions of the topic registry, the rule set and policy.
 */

const ROOT = join(__dirname, '..');
const K8S = join(ROOT, 'k8s');
const COMPOSE_FILE = join(ROOT, 'deploy/compose/compose.yaml');
const SECRETS_DOC = 'k8s/base/secrets.example.yaml';
const TOPICS_SCRIPT = 'k8s/base/topics/create-topics.sh';
const TOPICS_MOUNT = '/opt/argus/create-topics.sh';

/**
 * What each service reads (its config spec) and where its Kafka consumer is declared; `consumer: false` for a
 * service that consumes no topic (the gateway answers HTTP), whose replicas no partition count bounds.
 */
const SERVICES: Record<
  ServiceName,
  { readonly settings: ConfigSpec; readonly module: string; readonly consumer?: false }
> = {
  ingestion: { settings: ingestionSettings, module: 'apps/ingestion/src/ingestion.module.ts' },
  rules: { settings: rulesSettings, module: 'apps/rules/src/rules.module.ts' },
  'decision-combiner': { settings: combinerSettings, module: 'apps/decision-combiner/src/combiner.module.ts' },
  feature: { settings: featureSettings, module: 'apps/feature/src/feature.module.ts' },
  scoring: { settings: scoringSettings, module: 'apps/scoring/src/scoring.module.ts' },
  gateway: { settings: gatewaySettings, module: 'apps/gateway/src/gateway.module.ts', consumer: false },
  audit: { settings: auditSettings, module: 'apps/audit/src/audit.module.ts' },
  // Its Kafka handlers are @EventPattern methods of a controller (AvroBatchTransport).
  case: { settings: caseSettings, module: 'apps/case/src/case-intake.controller.ts' },
  console: { settings: consoleSettings, module: 'apps/console/src/console.module.ts', consumer: false },
};
/** Read outside the config spec, by apps/<app>/src/telemetry.ts: set, it turns tracing export on. */
const TELEMETRY_ENV = ['OTEL_EXPORTER_OTLP_ENDPOINT'];
/** Not flagged `secret` in the spec, but the URL carries the database password. */
const CREDENTIAL_ENV = ['ARGUS_PG_URL'];
/** Files the services watch and reload, by the variable that names them, with the parser the service uses. */
const WATCHED_FILES: Record<
  string,
  { readonly source: string; readonly parse: (text: string, name: string) => unknown }
> = {
  ARGUS_RULES_FILE: { source: 'deploy/config/rules/default.yaml', parse: parseRuleSet },
  ARGUS_POLICY_FILE: { source: 'deploy/config/policy/default.yaml', parse: parsePolicy },
  ARGUS_CASE_POLICY_FILE: { source: 'deploy/config/cases/default.yaml', parse: parseCasePolicy },
};
const BUILDS = { base: 'k8s/base', local: 'k8s/overlays/local', production: 'k8s/overlays/production' } as const;
type BuildName = keyof typeof BUILDS;

const SCHEMAS: Record<string, { new (data: never): { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

const SERVICE_NAMES = LOCAL_SERVICES.map(({ name }) => name);
const portOf = (service: ServiceName) => LOCAL_SERVICES.find(({ name }) => name === service)!.port;
const envRead = (service: ServiceName) => [
  ...Object.values(SERVICES[service].settings).map((s) => s.env),
  ...TELEMETRY_ENV,
];
const envRequired = (service: ServiceName) =>
  Object.values(SERVICES[service].settings)
    .filter((s) => s.default === undefined)
    .map((s) => s.env);
const envSecret = (service: ServiceName) => [
  ...Object.values(SERVICES[service].settings)
    .filter((s) => s.secret)
    .map((s) => s.env),
  ...CREDENTIAL_ENV.filter((name) => envRead(service).includes(name)),
];

/** The topics a service consumes, read from its module's `consumer({ topic })` and `joinedConsumer({ topics })` calls. */
function consumedTopics(service: ServiceName): TopicKey[] {
  const source = readFileSync(join(ROOT, SERVICES[service].module), 'utf8');
  const single = [...source.matchAll(/\.consumer\(\{[^}]*\btopic: '(\w+)'/g)].map((match) => match[1]!);
  // A join: `.joinedConsumer({ …, topics: ['a', 'b'], … })`.
  const joined = [...source.matchAll(/\.joinedConsumer\(\{[^}]*\btopics: \[([^\]]*)\]/g)].flatMap((match) =>
    [...match[1]!.matchAll(/'(\w+)'/g)].map((name) => name[1]!),
  );
  // A NestJS handler of AvroBatchTransport: `@EventPattern('topic', …)`.
  const handlers = [...source.matchAll(/@EventPattern\('(\w+)'/g)].map((match) => match[1]!);
  // The audit service consumes every topic of its AUDITED table, each in its own group.
  const audited = service === 'audit' ? Object.keys(AUDITED) : [];
  const topics = [...single, ...joined, ...handlers, ...audited] as TopicKey[];
  if (SERVICES[service].consumer === false) {
    if (topics.length > 0) throw new Error(`${service} is declared consumer: false but consumes ${topics.join(', ')}`);
    return topics;
  }
  if (topics.length === 0) throw new Error(`no consumer({ topic }) found in ${SERVICES[service].module}`);
  for (const topic of topics) if (!(topic in Topics)) throw new Error(`${service} consumes unknown topic ${topic}`);
  return topics;
}

const renders = new Map<BuildName, Rendered>();
function render(build: BuildName): Rendered {
  if (!renders.has(build)) renders.set(build, renderKustomization(join(ROOT, BUILDS[build]), ROOT));
  return renders.get(build)!;
}
const find = (objects: readonly K8sObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name);
const podSpec = (object: K8sObject) => podSpecOf(object) as unknown as IPodSpec;
const serviceContainer = (deployment: K8sObject, service: ServiceName): IContainer =>
  podSpec(deployment).containers.find((container) => container.name === service)!;
const envValue = (container: IContainer, name: string) => container.env?.find((env) => env.name === name)?.value;

function resolvePort(container: IContainer, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((candidate) => candidate.name === port)?.containerPort;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(entry.name) ? [relative(ROOT, path)] : [];
  });
}

/** `kubectl -n argus create secret generic NAME --from-literal=KEY=… …` lines of the secrets doc. */
function documentedSecrets(): Map<string, Set<string>> {
  const text = readFileSync(join(ROOT, SECRETS_DOC), 'utf8');
  const secrets = new Map<string, Set<string>>();
  for (const chunk of text.split('create secret generic ').slice(1)) {
    const name = /^(\S+)/.exec(chunk)![1]!;
    const keys = [...chunk.matchAll(/--from-literal=(\w+)=/g)].map((match) => match[1]!);
    secrets.set(name, new Set(keys));
  }
  return secrets;
}

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  restart?: string;
  entrypoint?: string[];
}
const compose = () =>
  parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

const buildNames = Object.keys(BUILDS) as BuildName[];
const perService = buildNames.flatMap((build) => SERVICE_NAMES.map((service) => [build, service] as const));

describe('k8s/', () => {
  it('describes every service the local launcher runs', () => {
    const services = compose().services;
    const missing = SERVICE_NAMES.filter(
      (service) => !(service in SERVICES) || !find(render('base').objects, 'Deployment', service) || !services[service],
    );
    // A new service needs its entry in SERVICES above, a k8s/base/<service>/ folder and a compose service.
    expect(missing).toEqual([]);
  });

  it('holds only YAML that a kustomization reads, besides the secrets doc', () => {
    const read = new Set(buildNames.flatMap((build) => [...render(build).files]));
    const unread = yamlFilesUnder(K8S).filter((file) => !read.has(file) && file !== SECRETS_DOC);
    expect(unread).toEqual([]);
  });

  it('holds no Secret with data, and the secrets doc holds no object at all', () => {
    const payloads = new Set(buildNames.flatMap((build) => [...render(build).generatorFiles]));
    const withData = yamlFilesUnder(K8S)
      .filter((file) => !payloads.has(file))
      .flatMap((file) => (readYamlDocuments(join(ROOT, file)) as K8sObject[]).map((object) => ({ file, object })))
      .filter(({ object }) => object.kind === 'Secret' && (object['data'] || object['stringData']))
      .map(({ file, object }) => `${file}: Secret/${object.metadata.name}`);
    expect(withData).toEqual([]);
    expect(readYamlDocuments(join(ROOT, SECRETS_DOC))).toEqual([]);
  });

  describe.each(buildNames)('%s', (build) => {
    it('renders objects that are valid against the Kubernetes schemas', () => {
      const { objects } = render(build);
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        const Model = SCHEMAS[`${object.apiVersion}/${object.kind}`];
        if (!Model) throw new Error(`${object.apiVersion} ${object.kind} has no schema check here: add it`);
        expect(() => new Model(object as never).validate()).not.toThrow();
      }
    });

    it('puts every object in the argus namespace', () => {
      const outside = render(build)
        .objects.filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== 'argus')
        .map((object) => `${object.kind}/${object.metadata.name}`);
      expect(outside).toEqual([]);
    });

    it('runs every container with limits, as non-root, on a read-only root filesystem', () => {
      for (const object of render(build).objects.filter((candidate) => podSpecOf(candidate))) {
        const pod = podSpec(object);
        for (const container of pod.containers) {
          const where = `${object.kind}/${object.metadata.name} ${container.name}`;
          const security = { ...pod.securityContext, ...container.securityContext };
          expect({ where, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({
            where,
            limits: ['cpu', 'memory'],
          });
          expect({ where, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual({
            where,
            requests: ['cpu', 'memory'],
          });
          expect({ where, runAsNonRoot: security.runAsNonRoot, root: security.runAsUser === 0 }).toEqual({
            where,
            runAsNonRoot: true,
            root: false,
          });
          expect({
            where,
            readOnlyRootFilesystem: container.securityContext?.readOnlyRootFilesystem,
            allowPrivilegeEscalation: container.securityContext?.allowPrivilegeEscalation,
            drop: container.securityContext?.capabilities?.drop,
          }).toEqual({ where, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, drop: ['ALL'] });
        }
      }
    });

    it('generates argus-config with a content hash, so a change of settings rolls the pods', () => {
      expect(render(build).hashedConfigMaps.has('argus-config')).toBe(true);
    });

    it('creates exactly the topics of the topic registry', () => {
      const { objects } = render(build);
      const job = find(objects, 'Job', 'argus-topics')!;
      const script = find(objects, 'ConfigMap', 'argus-topics-script')!;
      const [container] = podSpec(job).containers;
      expect(container!.command).toEqual(['/bin/sh', TOPICS_MOUNT]);
      expect(container!.env?.find((env) => env.name === 'KAFKA_BOOTSTRAP')?.valueFrom?.configMapKeyRef).toEqual({
        name: 'argus-config',
        key: 'ARGUS_KAFKA_BROKERS',
      });
      const volume = podSpec(job).volumes?.find((candidate) => candidate.configMap?.name === 'argus-topics-script');
      expect(container!.volumeMounts?.find((mount) => mount.name === volume?.name)?.mountPath).toBe(
        posix.dirname(TOPICS_MOUNT),
      );
      expect((script['data'] as Record<string, string>)['create-topics.sh']).toBe(
        readFileSync(join(ROOT, TOPICS_SCRIPT), 'utf8'),
      );
    });
  });

  describe.each(perService)('%s: %s', (build, service) => {
    const deployment = () => find(render(build).objects, 'Deployment', service)!;

    it('runs the service from the Argus image, probing the port it listens on', () => {
      expect(deployment()).toBeDefined();
      const container = serviceContainer(deployment(), service);
      const port = portOf(service);
      expect(container.args).toEqual([service]);
      expect(parseImage(container.image!).name).toMatch(/(^|\/)argus-service$/);
      expect(container.ports).toContainEqual({ name: 'http', containerPort: port });
      expect(envValue(container, 'ARGUS_HTTP_PORT')).toBe(String(port));
      // The default, 127.0.0.1, would make every probe fail from the kubelet.
      expect(envValue(container, 'ARGUS_HTTP_HOST')).toBe('0.0.0.0');
      const probes = {
        startup: container.startupProbe?.httpGet,
        liveness: container.livenessProbe?.httpGet,
        readiness: container.readinessProbe?.httpGet,
      };
      expect({
        startup: [probes.startup?.path, resolvePort(container, probes.startup?.port)],
        liveness: [probes.liveness?.path, resolvePort(container, probes.liveness?.port)],
        readiness: [probes.readiness?.path, resolvePort(container, probes.readiness?.port)],
      }).toEqual({
        startup: ['/health/live', port],
        liveness: ['/health/live', port],
        readiness: ['/health/ready', port],
      });
    });

    it('sets only variables the service reads, all it requires, and secrets only from Secrets', () => {
      const { objects } = render(build);
      const env = serviceContainer(deployment(), service).env ?? [];
      const names = env.map((variable) => variable.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.filter((name) => !envRead(service).includes(name))).toEqual([]);
      expect(envRequired(service).filter((name) => !names.includes(name))).toEqual([]);
      const secretNames = envSecret(service);
      expect(env.filter((v) => secretNames.includes(v.name) && !v.valueFrom?.secretKeyRef).map((v) => v.name)).toEqual(
        [],
      );
      // Kafka client ids carry it: a service without Kafka (the console) does not read it.
      if (envRead(service).includes('ARGUS_INSTANCE_ID'))
        expect(env.find((variable) => variable.name === 'ARGUS_INSTANCE_ID')?.valueFrom?.fieldRef?.fieldPath).toBe(
          'metadata.name',
        );
      const documented = documentedSecrets();
      for (const { name, valueFrom } of env) {
        const configRef = valueFrom?.configMapKeyRef;
        if (configRef) {
          const data = find(objects, 'ConfigMap', configRef.name!)?.['data'] as Record<string, string> | undefined;
          expect({ name, key: configRef.key, found: data?.[configRef.key] !== undefined }).toEqual({
            name,
            key: configRef.key,
            found: true,
          });
        }
        const secretRef = valueFrom?.secretKeyRef;
        if (secretRef) {
          expect({
            name,
            secret: secretRef.name,
            documented: documented.get(secretRef.name!)?.has(secretRef.key),
          }).toEqual({ name, secret: secretRef.name, documented: true });
        }
      }
    });

    it('mounts each watched file from a ConfigMap updated in place, with the content the service parses', () => {
      const { objects, hashedConfigMaps } = render(build);
      const pod = podSpec(deployment());
      const container = serviceContainer(deployment(), service);
      const watched = envRead(service).filter((name) => name in WATCHED_FILES);
      expect((container.env ?? []).map(({ name }) => name)).toEqual(expect.arrayContaining(watched));
      for (const variable of (container.env ?? []).filter(({ name }) => name in WATCHED_FILES)) {
        const path = variable.value!;
        const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === posix.dirname(path));
        // A subPath mount would never see an update of the ConfigMap.
        expect({ variable: variable.name, mounted: mount !== undefined, subPath: mount?.subPath }).toEqual({
          variable: variable.name,
          mounted: true,
          subPath: undefined,
        });
        const configMapName = pod.volumes?.find((volume) => volume.name === mount!.name)?.configMap?.name;
        expect(configMapName).toBeDefined();
        expect(hashedConfigMaps.has(configMapName!)).toBe(false);
        const text = (find(objects, 'ConfigMap', configMapName!)?.['data'] as Record<string, string>)[
          posix.basename(path)
        ]!;
        const { source, parse: parseFile } = WATCHED_FILES[variable.name]!;
        expect(text).toBe(readFileSync(join(ROOT, source), 'utf8'));
        expect(() => parseFile(text, path)).not.toThrow();
      }
    });

    it('spreads pods, drains them gracefully, and keeps one pod at a time out', () => {
      const pod = podSpec(deployment());
      expect(Boolean(pod.topologySpreadConstraints?.length || pod.affinity?.podAntiAffinity)).toBe(true);
      // The local launcher gives a service 15 s to finish its batch and commit.
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
      const labels = (deployment()['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels;
      const selects = (selector: Record<string, string> | undefined) =>
        selector !== undefined && Object.entries(selector).every(([key, value]) => labels[key] === value);
      const { objects } = render(build);
      const spec = <T>(kind: string) => find(objects, kind, service)?.['spec'] as T;
      expect(
        selects(spec<{ selector: { matchLabels: Record<string, string> } }>('Deployment').selector.matchLabels),
      ).toBe(true);
      const serviceSpec = spec<{ selector: Record<string, string>; ports: Array<{ targetPort: string | number }> }>(
        'Service',
      );
      expect(selects(serviceSpec.selector)).toBe(true);
      const container = serviceContainer(deployment(), service);
      expect(serviceSpec.ports.map(({ targetPort }) => resolvePort(container, targetPort))).toEqual([portOf(service)]);
      const pdb = spec<{ selector: { matchLabels: Record<string, string> }; maxUnavailable?: number }>(
        'PodDisruptionBudget',
      );
      expect(selects(pdb.selector.matchLabels)).toBe(true);
      expect(pdb.maxUnavailable).toBe(1);
    });

    it('autoscales on CPU, within the partitions of the topic it consumes (if it consumes one)', () => {
      const hpa = find(render(build).objects, 'HorizontalPodAutoscaler', service)?.['spec'] as {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
        metrics: Array<{ resource?: { name: string } }>;
      };
      expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: service });
      // The autoscaler owns the replica count: one in the Deployment would be reset on every apply.
      expect((deployment()['spec'] as { replicas?: number }).replicas).toBeUndefined();
      // Math.min() of no topic is Infinity: an HTTP-only service is bounded by its own autoscaler alone.
      const partitions = Math.min(...consumedTopics(service).map((topic) => Topics[topic].partitions));
      expect(hpa.maxReplicas).toBeLessThanOrEqual(partitions);
      expect(hpa.minReplicas).toBeLessThanOrEqual(hpa.maxReplicas);
      expect(hpa.metrics.map((metric) => metric.resource?.name)).toContain('cpu');
    });
  });

  it.each(buildNames)('%s: the gateway reads its API clients from a Secret mounted as a directory', (build) => {
    // Key hashes are credentials (a hash of a weak key can be reversed), and the demo clients must not ship:
    // so a Secret the operator creates, not a ConfigMap from the repository; no subPath, so a rotation arrives.
    const deployment = find(render(build).objects, 'Deployment', 'gateway')!;
    const container = serviceContainer(deployment, 'gateway');
    const path = envValue(container, 'ARGUS_GATEWAY_CLIENTS_FILE')!;
    const mount = container.volumeMounts?.find((candidate) => candidate.mountPath === posix.dirname(path));
    expect({ mounted: mount !== undefined, subPath: mount?.subPath }).toEqual({ mounted: true, subPath: undefined });
    const volume = podSpec(deployment).volumes?.find((candidate) => candidate.name === mount!.name);
    expect(volume?.secret?.secretName).toBe('argus-gateway-clients');
    expect(readFileSync(join(ROOT, SECRETS_DOC), 'utf8')).toContain(
      `create secret generic argus-gateway-clients --from-file=${posix.basename(path)}=`,
    );
  });

  it('local runs one pod per service, from the locally built image', () => {
    const { objects } = render('local');
    for (const service of SERVICE_NAMES) {
      expect(find(objects, 'HorizontalPodAutoscaler', service)?.['spec']).toMatchObject({
        minReplicas: 1,
        maxReplicas: 1,
      });
      expect(serviceContainer(find(objects, 'Deployment', service)!, service).image).toBe('argus-service:dev');
    }
  });

  it('production runs at least three pods per service, every image pinned', () => {
    const { objects } = render('production');
    for (const service of SERVICE_NAMES) {
      expect((find(objects, 'HorizontalPodAutoscaler', service)?.['spec'] as { minReplicas: number }).minReplicas).toBe(
        3,
      );
    }
    const unpinned = containersOf(objects)
      .map(({ image }) => image)
      .filter((image) => {
        const { tag, digest } = parseImage(image);
        return !digest && (!tag || tag === 'latest');
      });
    expect(unpinned).toEqual([]);
  });

  it('the topics script creates the topic registry: names, partitions and configs', () => {
    const lines = readFileSync(join(ROOT, TOPICS_SCRIPT), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('topic '));
    const scripted = lines.map((line) => {
      const [, name, partitions, ...configs] = line.trim().split(/\s+/);
      return { name, partitions: Number(partitions), config: Object.fromEntries(configs.map((c) => c.split('='))) };
    });
    const registry = ALL_TOPICS.map(({ name, partitions, config }) => ({ name, partitions, config: { ...config } }));
    expect(scripted).toEqual(registry);
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // Where kubectl exists, the renderer above must agree with real Kustomize (hash suffixes aside).
  (kubectl ? it.each(buildNames) : it.skip.each(buildNames))('%s renders the same with kubectl kustomize', (build) => {
    const output = execFileSync('kubectl', ['kustomize', join(ROOT, BUILDS[build])], { encoding: 'utf8' });
    const hashed = new Map<string, string>();
    const fromKubectl = parseAllObjects(output);
    for (const object of fromKubectl.filter(({ kind }) => kind === 'ConfigMap')) {
      const plain = object.metadata.name.replace(/-[a-z0-9]{10}$/, '');
      if (plain !== object.metadata.name) hashed.set(object.metadata.name, plain);
    }
    const unhashed = JSON.parse(JSON.stringify(fromKubectl), (_key, value: unknown) =>
      typeof value === 'string' ? (hashed.get(value) ?? value) : value,
    ) as K8sObject[];
    expect(new Set(hashed.values())).toEqual(render(build).hashedConfigMaps);
    expect(sortObjects(unhashed)).toEqual(sortObjects(render(build).objects));
  });
});

function parseAllObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null);
}

function sortObjects(objects: readonly K8sObject[]): K8sObject[] {
  const key = (object: K8sObject) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('deploy/compose/compose.yaml', () => {
  it('has a healthcheck on every long-running service, and waits on what it depends on', () => {
    const { services } = compose();
    const awaitedToFinish = new Set(
      Object.values(services).flatMap(({ depends_on }) =>
        Object.entries(depends_on ?? {})
          .filter(([, { condition }]) => condition === 'service_completed_successfully')
          .map(([name]) => name),
      ),
    );
    for (const [name, service] of Object.entries(services)) {
      const oneShot = awaitedToFinish.has(name) && service.restart === 'no';
      expect({ name, healthcheck: Boolean(service.healthcheck) || oneShot }).toEqual({ name, healthcheck: true });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck).toBeDefined();
      }
    }
  });

  it('pins every image it does not build', () => {
    const unpinned = Object.entries(compose().services)
      .filter(([, service]) => !service.build)
      .filter(([, { image }]) => !image || !parseImage(image).tag || parseImage(image).tag === 'latest')
      .map(([name]) => name);
    expect(unpinned).toEqual([]);
  });

  it('creates the topics with the same script as the Kubernetes Job', () => {
    const topics = compose().services['topics']!;
    const mount = (topics.volumes ?? [])
      .map((volume) => volume.split(':'))
      .find(([, target]) => target === TOPICS_MOUNT);
    expect(mount).toBeDefined();
    expect(relative(ROOT, resolve(dirname(COMPOSE_FILE), mount![0]!))).toBe(TOPICS_SCRIPT);
    expect(topics.entrypoint).toEqual(['/bin/sh', TOPICS_MOUNT]);
  });

  it.each(SERVICE_NAMES)('runs %s with the variables of its Kubernetes Deployment, and probes readiness', (service) => {
    const definition = compose().services[service]!;
    const port = portOf(service);
    expect(definition.command).toEqual([service]);
    expect(definition.build).toBeDefined();
    const environment = definition.environment ?? {};
    const names = Object.keys(environment).sort();
    const deployment = find(render('base').objects, 'Deployment', service)!;
    const k8sNames = (serviceContainer(deployment, service).env ?? []).map(({ name }) => name).sort();
    expect(names).toEqual(k8sNames);
    expect(names.filter((name) => !envRead(service).includes(name))).toEqual([]);
    expect(String(environment['ARGUS_HTTP_PORT'])).toBe(String(port));
    expect(environment['ARGUS_HTTP_HOST']).toBe('0.0.0.0');
    // A secret comes from the caller's environment, never from this file.
    // (`:?` for a required one, `:-` for an optional one such as a chat webhook.)
    for (const name of envSecret(service))
      expect(String(environment[name])).toMatch(/\$\{ARGUS_[A-Z_]+(:[?-][^}]*)?\}/);
    expect(definition.healthcheck?.test.join(' ')).toContain('/health/ready');
  });
});
