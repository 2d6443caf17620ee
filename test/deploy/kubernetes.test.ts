// deploy/kubernetes: the manifests validate against the Kubernetes schemas (kubernetes-models),
// say what a GPU DaemonSet must say, and render with `kubectl kustomize`.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { DaemonSet } from 'kubernetes-models/apps/v1';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { DEFAULT_CONFIG } from '../../src/core/config/defaults.js';
import { DEPLOY_DIR, deployText, which, yamlDocuments } from './helpers.js';

const MODELS: Record<string, (doc: never) => { validate(): void }> = {
  ConfigMap: (d) => new ConfigMap(d),
  Namespace: (d) => new Namespace(d),
  Secret: (d) => new Secret(d),
  Service: (d) => new Service(d),
  DaemonSet: (d) => new DaemonSet(d),
};

function validateDocument(doc: Record<string, unknown>): void {
  const make = MODELS[String(doc.kind)];
  if (!make) throw new Error(`no schema for kind ${String(doc.kind)}`);
  make(doc as never).validate();
}

const one = (file: string) => {
  const [doc] = yamlDocuments(deployText(`kubernetes/${file}`));
  if (!doc) throw new Error(`${file} is empty`);
  return doc;
};

describe('Kubernetes manifests', () => {
  it('every manifest validates against the Kubernetes schema of its kind', () => {
    for (const file of [
      'namespace.yaml',
      'daemonset.yaml',
      'service.yaml',
      'secret.example.yaml',
    ]) {
      for (const doc of yamlDocuments(deployText(`kubernetes/${file}`))) {
        expect(() => validateDocument(doc), file).not.toThrow();
      }
    }
  });

  it('the schema check is real: a wrong type in the DaemonSet is refused', () => {
    const broken = structuredClone(one('daemonset.yaml')) as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    broken.spec.template.spec.terminationGracePeriodSeconds = 'long';
    expect(() => validateDocument(broken)).toThrow(/terminationGracePeriodSeconds must be integer/);
  });

  it('runs one worker per GPU node, hardened, with probes, the Secret and a host-path state folder', () => {
    const ds = one('daemonset.yaml') as unknown as IDaemonSet;
    const pod = ds.spec!.template.spec!;
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    // The running job finishes before Kubernetes kills the pod, with room to flush the logs.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(DEFAULT_CONFIG.shutdown_grace_secs);
    const [worker] = pod.containers;
    expect(worker?.resources?.limits).toMatchObject({ 'nvidia.com/gpu': 1 });
    expect(worker?.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(worker?.securityContext?.capabilities?.add).toBeUndefined();
    expect(worker?.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'metrics' });
    expect(worker?.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'metrics' });
    expect(worker?.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
    const env = Object.fromEntries((worker?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      STUDIO_WORKER_STATE_DIR: '/var/lib/studio-worker',
      STUDIO_WORKER_METRICS_LISTEN: '0.0.0.0:9464',
      STUDIO_WORKER_BOOTSTRAP_TOKEN_FILE: '/run/secrets/studio-worker/token',
    });
    const volumes = Object.fromEntries((pod.volumes ?? []).map((v) => [v.name, v]));
    expect(volumes.state?.hostPath).toMatchObject({ path: '/var/lib/studio-worker' });
    expect(volumes['bootstrap-token']?.secret?.secretName).toBe('studio-worker-bootstrap');
    expect(one('secret.example.yaml')).toMatchObject({
      metadata: { name: 'studio-worker-bootstrap' },
      stringData: { token: expect.any(String) },
    });
  });

  it('exposes the metrics port through a Service a ServiceMonitor can select, not-ready pods included', () => {
    const service = one('service.yaml') as { spec: Record<string, unknown> };
    expect(service.spec).toMatchObject({
      publishNotReadyAddresses: true,
      selector: { 'app.kubernetes.io/name': 'studio-worker' },
      ports: [{ name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' }],
    });
  });

  it('renders with `kubectl kustomize`, every rendered object valid (kubectl: apt kubernetes-client)', () => {
    const kubectl = which('kubectl');
    expect(
      kubectl,
      'kubectl is not installed: .ci/run installs the Debian package kubernetes-client',
    ).not.toBeNull();
    const rendered = execFileSync(kubectl!, ['kustomize', `${DEPLOY_DIR}kubernetes`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const docs = yamlDocuments(rendered);
    expect(docs.map((d) => d.kind).sort()).toEqual([
      'ConfigMap',
      'DaemonSet',
      'Namespace',
      'Service',
    ]);
    for (const doc of docs) validateDocument(doc);
    const ds = docs.find((d) => d.kind === 'DaemonSet') as unknown as IDaemonSet;
    expect(ds.metadata?.namespace).toBe('studio-worker');
    expect(ds.spec?.template.spec?.containers[0]?.image).toBe(
      'ghcr.io/studio-worker/studio-worker:0.2.0',
    );
    // The generated ConfigMap's hashed name is what the pod reads its settings from.
    const configMap = docs.find((d) => d.kind === 'ConfigMap') as { metadata: { name: string } };
    expect(ds.spec?.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name).toBe(
      configMap.metadata.name,
    );
  });
});
