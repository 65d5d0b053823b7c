import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../../src/projectRoot';

const DEPLOY = path.join(PROJECT_ROOT, 'deploy', 'kubernetes');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function docs(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw new Error(d.errors.map((e) => e.message).join('; '));
    return d.toJSON() as Doc;
  });
}

const read = (file: string) => docs(fs.readFileSync(path.join(DEPLOY, file), 'utf8'));
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

/** What every pod spec carrying realmgate must hold, whether read from the patch or from a rendered Deployment. */
function expectRunnableSidecar(pod: Doc): void {
  const sidecar = (pod.initContainers as Doc[]).find((c) => c.name === 'realmgate') as Doc;
  expect(sidecar).toBeDefined();
  expect(sidecar.restartPolicy).toBe('Always');
  expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true });
  expect(typeof sidecar.securityContext.runAsUser).toBe('number');
  const probePort = (sidecar.ports as Doc[]).find((p) => p.containerPort === 9090)?.name;
  expect(probePort).toBeDefined();
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    expect(sidecar[probe]).toBeDefined();
    expect(sidecar[probe].exec).toBeUndefined();
    expect(sidecar[probe].httpGet).toMatchObject({ port: probePort });
  }
  expect(sidecar.startupProbe.httpGet.path).toBe('/readyz');
  expect(sidecar.readinessProbe.httpGet.path).toBe('/readyz');
  expect(sidecar.livenessProbe.httpGet.path).toBe('/healthz');
  const mounts = Object.fromEntries((sidecar.volumeMounts as Doc[]).map((m) => [m.mountPath, m.name]));
  const volumes = Object.fromEntries((pod.volumes as Doc[]).map((v) => [v.name, v]));
  for (const dir of ['/tmp', '/var/lib/realmgate', '/var/run/realmgate']) {
    expect(volumes[mounts[dir]]?.emptyDir).toBeDefined();
  }
  expect(sidecar.envFrom).toEqual([{ configMapRef: { name: 'realmgate' } }]);
}

describe('deploy/kubernetes', () => {
  test('no manifest uses an exec probe', () => {
    for (const file of fs.readdirSync(DEPLOY, { recursive: true }) as string[]) {
      if (file.endsWith('.yaml')) expect([file, /^\s*exec:/m.test(fs.readFileSync(path.join(DEPLOY, file), 'utf8'))]).toEqual([file, false]);
    }
  });

  test('the component is a kustomize Component adding the sidecar, its volumes and its ConfigMap to Deployments', () => {
    const [component] = read('component/kustomization.yaml');
    expect(component).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: ['configmap.yaml'] });
    expect(component.patches).toEqual([{ path: 'sidecar.yaml', target: { kind: 'Deployment' } }]);
    const [patch] = read('component/sidecar.yaml');
    expectRunnableSidecar(patch.spec.template.spec);
    expect(patch.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics' });
    const [config] = read('component/configmap.yaml');
    expect(config).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'realmgate' } });
    expect(config.data).toMatchObject({ HOST: '127.0.0.1', REALMGATE_PROBE_PORT: '9090', REALMGATE_PROBE_HOST: '0.0.0.0' });
  });

  test('the example adopts the component in one line, and a ServiceMonitor scrapes the probe port', () => {
    const [kustomization] = read('kustomization.yaml');
    expect(kustomization.components).toEqual(['component']);
    const [monitor] = read('servicemonitor.example.yaml');
    const metricsService = read('service.yaml').find((d) => d.metadata.name === 'realmgate-metrics') as Doc;
    expect(monitor.spec.selector.matchLabels).toEqual(metricsService.metadata.labels);
    expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'rg-probes', path: '/metrics' })]);
    expect(metricsService.spec.ports).toEqual([expect.objectContaining({ name: 'rg-probes', targetPort: 'rg-probes' })]);
  });

  (kubectl || process.env.CI === 'true' ? test : test.skip)('kubectl kustomize renders the example with the sidecar in the app\'s Deployment', () => {
    const rendered = spawnSync('kubectl', ['kustomize', DEPLOY], { encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    const objects = docs(rendered.stdout);
    const deployment = objects.find((o) => o.kind === 'Deployment') as Doc;
    expect(deployment.metadata.name).toBe('example-app');
    const pod = deployment.spec.template.spec;
    expectRunnableSidecar(pod);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers.map((c: Doc) => c.name)).toEqual(['app']);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      ['ConfigMap/realmgate', 'Deployment/example-app', 'PodDisruptionBudget/example-app', 'Service/example-app', 'Service/realmgate-metrics'].sort(),
    );
  });
});
