/**
 * The cluster a kubernetes service deploys to: its kubeconfig (the service's own, else KUBECONFIG,
 * else ~/.kube/config), its context (named, else the current one), and whether its API server answers.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isAbsolute, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { expandPlaceholders, type Deployment } from '@shared/model';
import type { RegistryContext } from '../driver';

export type KubernetesDeployment = NonNullable<Deployment['kubernetes']>;

export interface KubeTarget {
  readonly config: KubeConfig;
  readonly context: string;
  readonly server: string;
  /** The kubeconfig files it came from, for messages. */
  readonly files: readonly string[];
}

export class KubeTargetError extends Error {}

export function kubeconfigFiles(deployment: KubernetesDeployment, context: RegistryContext): string[] {
  if (deployment.kubeconfig) {
    const path = expandPlaceholders(deployment.kubeconfig, { home: context.home, registry_dir: context.registryDir });
    return [isAbsolute(path) ? path : resolve(context.registryDir, path)];
  }
  const fromEnv = context.env['KUBECONFIG']?.split(':').filter(Boolean);
  if (fromEnv?.length) return fromEnv;
  return [join(context.env['HOME'] ?? '', '.kube', 'config')];
}

export async function loadKubeTarget(deployment: KubernetesDeployment, context: RegistryContext): Promise<KubeTarget> {
  // Loaded on demand: the CLI pays for the Kubernetes client only when a kubernetes service is involved.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const files = kubeconfigFiles(deployment, context);
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) throw new KubeTargetError(`no kubeconfig: ${files.join(', ')} not found (set deployment.kubernetes.kubeconfig or KUBECONFIG)`);
  const config = new KubeConfig();
  for (const [index, file] of present.entries()) {
    const part = new KubeConfig();
    try {
      part.loadFromFile(file);
    } catch (error) {
      throw new KubeTargetError(`kubeconfig ${file} is not valid: ${(error as Error).message}`);
    }
    if (index === 0) config.loadFromOptions({ clusters: part.clusters, users: part.users, contexts: part.contexts, currentContext: part.currentContext });
    else config.mergeConfig(part, true);
  }
  const name = deployment.context ?? config.getCurrentContext();
  if (!name) throw new KubeTargetError(`${present.join(', ')} sets no current-context: name one with deployment.kubernetes.context`);
  if (!config.getContextObject(name)) {
    throw new KubeTargetError(
      `context '${name}' is not in ${present.join(', ')} (it has: ${
        config
          .getContexts()
          .map((c) => c.name)
          .join(', ') || 'none'
      })`,
    );
  }
  config.setCurrentContext(name);
  const server = config.getCurrentCluster()?.server;
  if (!server) throw new KubeTargetError(`context '${name}' has no cluster server in ${present.join(', ')}`);
  return { config, context: name, server, files: present };
}

/** Undefined when the context's API server answers /version with its credentials, else why not. */
export async function kubeUnreachable(deployment: KubernetesDeployment, context: RegistryContext, timeoutMs = 3_000): Promise<string | undefined> {
  let target: KubeTarget;
  try {
    target = await loadKubeTarget(deployment, context);
  } catch (error) {
    if (error instanceof KubeTargetError) return error.message;
    throw error;
  }
  const where = `Kubernetes API server of context '${target.context}' (${target.server})`;
  const options: Parameters<typeof httpsRequest>[1] = { method: 'GET', timeout: timeoutMs };
  await target.config.applyToHTTPSOptions(options);
  const url = new URL('/version', target.server);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((settle) => {
    const req = send(url, options, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      if (status === 401 || status === 403) settle(`${where} refused the credentials (HTTP ${status})`);
      else if (status >= 400) settle(`${where} answered HTTP ${status}`);
      else settle(undefined);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs}ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => settle(`${where} not reachable: ${error.code ?? error.message}`));
    req.end();
  });
}
