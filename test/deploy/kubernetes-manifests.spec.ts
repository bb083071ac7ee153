import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { CONFIG_VARIABLES, loadConfig } from '@vigil/platform';

/**
 * deploy/kubernetes read as kustomize and the cluster would: every file the kustomization lists, and whether
 * the pieces name each other (selectors and labels, ports and probes, the autoscaler's target, the Secret's
 * and ConfigMap's keys) and the variables the apps read. Kubernetes would accept a Service that selects no
 * pod, a probe on a port no container has, or an env name the app ignores: this test does not.
 */
const DIR = join(__dirname, '../../deploy/kubernetes');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const read = (file: string): Manifest[] => loadAll(readFileSync(join(DIR, file), 'utf8')) as Manifest[];
const kustomization = read('kustomization.yaml')[0];
const manifests = (kustomization.resources as string[]).flatMap(read);
const secretExample = read('secret.example.yaml')[0];
const configMap = manifests.find((m) => m.kind === 'ConfigMap')!;

const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const deployment = (name: string) => ofKind('Deployment').find((d) => d.metadata.name === name)!;
const container = (name: string) => deployment(name).spec.template.spec.containers[0];
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);
const podsSelectedBy = (selector: Record<string, string>) =>
  ofKind('Deployment').filter((d) => selects(selector, d.spec.template.metadata.labels));

/** The environment a container gets: its ConfigMap's data, then its own env (Secret keys: the example's values). */
function environmentOf(name: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container(name).envFrom ?? []) {
    expect(source.configMapRef.name).toBe(configMap.metadata.name);
    Object.assign(env, configMap.data);
  }
  for (const variable of container(name).env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref && ref.optional && !(ref.key in secretExample.stringData)) continue;
    env[variable.name] = ref ? secretExample.stringData[ref.key] : variable.value;
  }
  return env;
}

describe('deploy/kubernetes', () => {
  it('lists files that parse into objects with an apiVersion, a kind and a name, each name once per kind', () => {
    expect(kustomization.kind).toBe('Kustomization');
    for (const manifest of manifests) {
      expect(manifest).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String) });
      expect(manifest.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    const ids = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'Deployment/vigil-api',
        'Deployment/vigil-worker',
        'Service/vigil-api',
        'HorizontalPodAutoscaler/vigil-api',
        'PodDisruptionBudget/vigil-api',
        'PodDisruptionBudget/vigil-worker',
      ]),
    );
    // Real secrets are never applied from the repository.
    expect(ofKind('Secret')).toEqual([]);
  });

  it("gives each Deployment a selector that matches its pods' labels and no other Deployment's", () => {
    for (const d of ofKind('Deployment')) {
      expect(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      expect(podsSelectedBy(d.spec.selector.matchLabels)).toEqual([d]);
    }
  });

  it('points every Service and PodDisruptionBudget at exactly one Deployment, and each Service at a named port', () => {
    for (const service of ofKind('Service')) {
      const [target] = podsSelectedBy(service.spec.selector);
      expect(podsSelectedBy(service.spec.selector)).toHaveLength(1);
      const ports = target.spec.template.spec.containers.flatMap((c: Manifest) => c.ports.map((p: any) => p.name)); // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const port of service.spec.ports) expect(ports).toContain(port.targetPort);
    }
    for (const budget of ofKind('PodDisruptionBudget')) {
      expect(budget.apiVersion).toBe('policy/v1');
      expect(podsSelectedBy(budget.spec.selector.matchLabels)).toHaveLength(1);
    }
  });

  it('probes /health/live and /health/ready on the port each app listens on (PORT, WORKER_PORT)', () => {
    for (const [name, portVariable] of [
      ['vigil-api', 'PORT'],
      ['vigil-worker', 'WORKER_PORT'],
    ]) {
      const c = container(name);
      const portNames = Object.fromEntries(
        c.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]),
      );
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
      expect(c.startupProbe.httpGet.path).toBe('/health/live');
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        expect(portNames[probe.httpGet.port]).toBe(Number(configMap.data[portVariable]));
      }
    }
    // The worker keeps the image's entrypoint (it supplies nothing here, but `command` would skip it).
    expect(container('vigil-worker').command).toBeUndefined();
    expect(container('vigil-worker').args).toEqual(['node', 'dist/apps/worker/main.js']);
  });

  it('scales the API Deployment on CPU, which its container requests', () => {
    const [hpa] = ofKind('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'vigil-api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
    expect(container('vigil-api').resources.requests.cpu).toBeDefined();
    // The autoscaler owns the replica count: a fixed one would be reset on every apply.
    expect(deployment('vigil-api').spec.replicas).toBeUndefined();
  });

  it('sets only variables the apps read, secrets from the Secret, and the same secrets for the API and the worker', () => {
    const secretKeys = Object.keys(secretExample.stringData);
    for (const name of ['vigil-api', 'vigil-worker']) {
      const c = container(name);
      for (const variable of [...Object.keys(configMap.data), ...c.env.map((e: { name: string }) => e.name)]) {
        expect(CONFIG_VARIABLES).toContain(variable);
      }
      for (const e of c.env) {
        const ref = e.valueFrom.secretKeyRef;
        expect(ref.name).toBe(secretExample.metadata.name);
        if (!ref.optional) expect(secretKeys).toContain(ref.key);
      }
    }
    expect(container('vigil-worker').env).toEqual(container('vigil-api').env);
    for (const secret of ['ADMIN_TOKEN', 'SECRETS_KEY', 'DATABASE_URL', 'REDIS_URL', 'SMTP_URL']) {
      expect(configMap.data).not.toHaveProperty(secret);
    }
  });

  it("starts with the manifests' settings once the Secret holds real values, and refuses the example's placeholders", () => {
    const real = {
      ADMIN_TOKEN: '5b9f0c3e8a7d41f2b6c9e0a1d4f7b2c8',
      SECRETS_KEY: 'e3a1c9f7b5d2e8a4c6f0b9d3e7a2c5f1',
      METRICS_TOKEN: 'c0ffee15deadbeef',
    };
    for (const name of ['vigil-api', 'vigil-worker']) {
      const env = { ...environmentOf(name), NODE_ENV: 'production' };
      expect(() => loadConfig(env)).toThrow(/^ADMIN_TOKEN must be/);
      const config = loadConfig({ ...env, ...real });
      expect(config).toMatchObject({ port: 3000, workerPort: 3001, queuePrefix: configMap.data.QUEUE_PREFIX });
      expect(() => loadConfig({ ...env, ...real, SECRETS_KEY: secretExample.stringData.SECRETS_KEY })).toThrow(
        /^SECRETS_KEY must be/,
      );
    }
  });
});
