/**
 * kubernetes services (with or without Helm) on the cluster of their kubeconfig and context. Start
 * applies the service's manifests (server-side apply, as `kubectl apply --server-side` does) or runs
 * `helm upgrade --install --wait`; the Deployment that runs it is then followed by watch
 * (workload-watch.ts). Stop deletes (or `helm uninstall`s) or scales to zero, as the registry says.
 * A cluster workload has no pid: its record names the workload instead.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { KubernetesObject, V1Deployment } from '@kubernetes/client-node';
import { expandPlaceholders, type ServiceDefinition } from '@shared/model';
import type { TerminateResult } from '../../process/terminate';
import type { ProcessRecord } from '../../state/service-record';
import { StartError, type Adoption, type RegistryContext, type RunContext, type RunningService, type ServiceDriver } from '../driver';
import { KubeTargetError, loadKubeTarget, type KubeTarget } from './kube-target';
import { selectorOf, WorkloadWatch } from './workload-watch';
import { podCounters } from './pod-usage';
import { openKubeExec } from '../../terminals/kube-exec';
import type { TerminalProcess, TerminalRequest } from '../../terminals/terminal-process';

type KubernetesDeployment = NonNullable<ServiceDefinition['deployment']['kubernetes']>;
const FIELD_MANAGER = 'provisioning';

export class KubernetesDriver implements ServiceDriver {
  readonly #watches = new Map<string, WorkloadWatch>();

  async start(
    service: ServiceDefinition,
    instance: string,
    configHash: string,
    context: RunContext,
    progress: (text: string) => void,
  ): Promise<RunningService> {
    const kubernetes = service.deployment.kubernetes!;
    const target = await this.#target(kubernetes, context);
    const applied: string[] = [];
    if (kubernetes.helm) {
      await upgrade(service, target, context, progress);
      applied.push('helm', 'upgrade', '--install', releaseOf(service));
    } else {
      for (const object of await manifests(service, context)) {
        await applyObject(target, object, kubernetes.namespace, service.name);
        applied.push(`${object.kind?.toLowerCase()}/${object.metadata?.name}`);
      }
      progress(`applied ${applied.join(', ')} in ${kubernetes.namespace}`);
    }
    return this.#follow(service, target, instance, configHash, ['kubernetes', 'apply', ...applied], context);
  }

  /** A chart's new revision (its files or values changed): `helm upgrade`, the rollout followed by the watch already on it. */
  async redeploy(service: ServiceDefinition, context: RunContext, say: (text: string) => void): Promise<void> {
    const kubernetes = service.deployment.kubernetes!;
    if (!kubernetes.helm) throw new StartError(`'${service.name}' is not a Helm chart: its manifests are applied again by a restart`);
    await upgrade(service, await this.#target(kubernetes, context), context, say);
  }

  async adopt(service: ServiceDefinition, record: ProcessRecord | undefined, configHash: string, context: RunContext): Promise<Adoption> {
    if (!record?.workload) return { notes: [] };
    try {
      const kubernetes = service.deployment.kubernetes!;
      const target = await this.#target(kubernetes, context);
      if (kubernetes.helm) {
        // The release's own state first: a failed or uninstalled release is not adopted.
        const status = JSON.parse(await helm(context, target, kubernetes, ['status', releaseOf(service), '-o', 'json'])) as { info?: { status?: string } };
        if (status.info?.status !== 'deployed') return { notes: [`not adopted: release ${releaseOf(service)} is ${status.info?.status ?? 'unknown'}`] };
      }
      return { run: await this.#follow(service, target, record.instance, configHash, record.command, context), notes: [] };
    } catch (error) {
      return { notes: [`not adopted: ${(error as Error).message}`] };
    }
  }

  async stop(_record: ProcessRecord, service: ServiceDefinition, context: RunContext): Promise<TerminateResult> {
    const kubernetes = service.deployment.kubernetes!;
    const target = await this.#target(kubernetes, context);
    const grace = Math.ceil(service.startup.stop_timeout / 1000);
    if (kubernetes.stop === 'scale-to-zero') {
      const { KubernetesObjectApi, PatchStrategy } = await import('@kubernetes/client-node');
      const scale = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: workloadOf(service), namespace: kubernetes.namespace },
        spec: { replicas: 0 },
      };
      await KubernetesObjectApi.makeApiClient(target.config).patch(scale, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
    } else if (kubernetes.helm) {
      await helm(context, target, kubernetes, ['uninstall', releaseOf(service), '--wait', '--timeout', `${grace + 30}s`]);
    } else {
      const { KubernetesObjectApi } = await import('@kubernetes/client-node');
      const client = KubernetesObjectApi.makeApiClient(target.config);
      for (const object of (await manifests(service, context)).reverse()) {
        await client
          .delete(
            { ...object, metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? kubernetes.namespace } } as KubernetesObject,
            undefined,
            undefined,
            grace,
            undefined,
            'Background',
          )
          .catch((error: { code?: number }) => {
            if (error.code !== 404) throw error;
          });
      }
    }
    return { forced: false, survivors: [] };
  }

  async reap(record: ProcessRecord): Promise<void> {
    this.#watches.get(record.instance)?.close();
    this.#watches.delete(record.instance);
  }

  /** The Kubernetes exec API in the first running pod of its Deployment (kube-exec.ts). */
  async exec(_record: ProcessRecord, service: ServiceDefinition, context: RunContext, request: TerminalRequest): Promise<TerminalProcess> {
    const { AppsV1Api } = await import('@kubernetes/client-node');
    const target = await this.#target(service.deployment.kubernetes!, context);
    const namespace = service.deployment.kubernetes!.namespace;
    const name = workloadOf(service);
    const deployment = await target.config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace });
    return openKubeExec(target.config, namespace, selectorOf(deployment), `deployment/${name} in ${namespace}`, request);
  }

  close(): void {
    this.#watches.forEach((watch) => watch.close());
    this.#watches.clear();
  }

  async #target(kubernetes: KubernetesDeployment, context: RegistryContext): Promise<KubeTarget> {
    try {
      return await loadKubeTarget(kubernetes, context);
    } catch (error) {
      if (error instanceof KubeTargetError) throw new StartError(error.message);
      throw error;
    }
  }

  async #follow(
    service: ServiceDefinition,
    target: KubeTarget,
    instance: string,
    configHash: string,
    command: readonly string[],
    context: RunContext,
  ): Promise<RunningService> {
    const { AppsV1Api } = await import('@kubernetes/client-node');
    const namespace = service.deployment.kubernetes!.namespace;
    const name = workloadOf(service);
    let deployment: V1Deployment;
    try {
      deployment = await target.config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name, namespace });
    } catch (error) {
      throw new StartError(
        (error as { code?: number }).code === 404
          ? `no deployment/${name} in ${namespace}: name it with deployment.kubernetes.deployment`
          : `Kubernetes: ${(error as Error).message}`,
      );
    }
    const watch = new WorkloadWatch(target.config, namespace, name, context.logs);
    await watch.begin(deployment);
    this.#watches.set(instance, watch);
    const record: ProcessRecord = {
      instance,
      startTime: deployment.metadata?.uid ?? '',
      command: [...command],
      configHash,
      startedAt: context.now(),
      workload: watch.workload,
    };
    const usage = { key: instance, open: () => podCounters(target.config, namespace, selectorOf(deployment), (text) => watch.note(text)) };
    return { process: record, exited: watch.exited, signals: watch.signals, untilHealthy: watch.untilHealthy, usage };
  }
}

const releaseOf = (service: ServiceDefinition) => service.deployment.kubernetes!.helm?.release ?? service.name;

/** `helm upgrade --install --wait`: the release's next revision (its first, when there is none), ready within the startup timeout. */
async function upgrade(service: ServiceDefinition, target: KubeTarget, context: RunContext, progress: (text: string) => void): Promise<void> {
  const kubernetes = service.deployment.kubernetes!;
  progress(`helm upgrade --install ${releaseOf(service)} (waiting up to ${service.startup.timeout / 1000}s)`);
  const values = kubernetes.helm!.values;
  // JSON is YAML: the registry's values table reaches helm on its stdin, never in a file.
  const stdin = Object.keys(values).length > 0 ? JSON.stringify(values) : undefined;
  const timeout = `${Math.ceil(service.startup.timeout / 1000)}s`;
  const args = ['upgrade', '--install', releaseOf(service), ...chartArgs(service, context), ...(stdin ? ['-f', '-'] : []), '--wait', '--timeout', timeout];
  await helm(context, target, kubernetes, args, stdin);
}
const workloadOf = (service: ServiceDefinition) => service.deployment.kubernetes!.deployment ?? releaseOf(service);

const path = (file: string, context: RegistryContext) => {
  const expanded = expandPlaceholders(file, { home: context.home, registry_dir: context.registryDir });
  return isAbsolute(expanded) ? expanded : resolve(context.registryDir, expanded);
};

async function manifests(service: ServiceDefinition, context: RegistryContext): Promise<KubernetesObject[]> {
  const { loadAllYaml } = await import('@kubernetes/client-node');
  const objects: KubernetesObject[] = [];
  for (const file of service.deployment.kubernetes!.manifests) {
    const where = path(file, context);
    try {
      objects.push(...(loadAllYaml(await readFile(where, 'utf8')) as KubernetesObject[]).filter(Boolean));
    } catch (error) {
      throw new StartError(`manifest ${where}: ${(error as Error).message}`);
    }
  }
  const inline = service.deployment.kubernetes!.inline;
  if (inline) {
    try {
      objects.push(...(loadAllYaml(inline) as KubernetesObject[]).filter(Boolean));
    } catch (error) {
      throw new StartError(`services.${service.name}.deployment.kubernetes.inline: ${(error as Error).message}`);
    }
  }
  return objects;
}

/** Server-side apply, labelled with the service, in the service's namespace unless the object names one. */
async function applyObject(target: KubeTarget, object: KubernetesObject, namespace: string, service: string): Promise<void> {
  const { KubernetesObjectApi, PatchStrategy } = await import('@kubernetes/client-node');
  const client = KubernetesObjectApi.makeApiClient(target.config);
  const labelled = {
    ...object,
    metadata: {
      ...object.metadata,
      namespace: object.metadata?.namespace ?? namespace,
      labels: { ...object.metadata?.labels, 'dev.provisioning.service': service },
    },
  };
  try {
    await client.patch(labelled, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (error) {
    const body = (error as { body?: string }).body;
    throw new StartError(
      `apply ${object.kind}/${object.metadata?.name}: ${body ? (JSON.parse(body) as { message?: string }).message : (error as Error).message}`,
    );
  }
}

function chartArgs(service: ServiceDefinition, context: RegistryContext): string[] {
  const chart = service.deployment.kubernetes!.helm!;
  const local = chart.chart.startsWith('.') || isAbsolute(chart.chart);
  const args = [local ? path(chart.chart, context) : chart.chart];
  if (chart.repo) args.push('--repo', chart.repo);
  if (chart.version) args.push('--version', chart.version);
  for (const file of chart.values_files) args.push('-f', path(file, context));
  return args;
}

function helm(context: RegistryContext, target: KubeTarget, kubernetes: KubernetesDeployment, args: readonly string[], stdin = ''): Promise<string> {
  const bin = context.env['HELM_BIN'] ?? 'helm';
  const all = [...args, '--namespace', kubernetes.namespace, '--kubeconfig', target.files[0]!, '--kube-context', target.context];
  return new Promise((done, fail) => {
    const child = execFile(bin, all, { env: { ...context.env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error
        ? fail(new StartError(`helm ${args.slice(0, 2).join(' ')} failed: ${stderr.trim().split('\n').slice(-3).join(' ') || error.message}`))
        : done(stdout),
    );
    child.stdin?.on('error', () => undefined).end(stdin);
  });
}
