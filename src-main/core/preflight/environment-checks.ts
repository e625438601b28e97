/**
 * What a deployment mode needs from the machine: a reachable Docker engine for docker and compose
 * services, a Compose command, helm for a chart, a reachable Kubernetes context. One start of many
 * services asks each question once: answers are kept for a few seconds.
 */
import { basename, dirname } from 'node:path';
import type { ServiceDefinition } from '@shared/model';
import { detectCompose } from '../drivers/compose/compose-command';
import { dockerUnreachable } from '../drivers/docker/docker-endpoint';
import type { RegistryContext } from '../drivers/driver';
import { kubeconfigFiles, kubeUnreachable } from '../drivers/kubernetes/kube-target';
import { findOnPath } from './find-on-path';

const KEEP_MS = 3_000;

export type EnvironmentChecks = (service: ServiceDefinition) => Promise<string[]>;

export function environmentChecks(context: RegistryContext, now: () => number = Date.now): EnvironmentChecks {
  const answers = new Map<string, { at: number; problem: Promise<string | undefined> }>();
  const ask = (key: string, question: () => Promise<string | undefined>): Promise<string | undefined> => {
    const kept = answers.get(key);
    if (kept && now() - kept.at < KEEP_MS) return kept.problem;
    const problem = question();
    answers.set(key, { at: now(), problem });
    return problem;
  };
  const docker = () => ask('docker', () => dockerUnreachable(context.env));
  const compose = () =>
    ask('compose', async () => ((await detectCompose(context.env)) ? undefined : 'Docker Compose not found: neither `docker compose` (v2) nor `docker-compose` (v1) runs on PATH'));

  return async (service) => {
    const { deployment } = service;
    const questions: Promise<string | undefined>[] = [];
    if (deployment.mode === 'docker') questions.push(docker());
    if (deployment.mode === 'docker-compose') questions.push(docker(), compose());
    if (deployment.mode === 'kubernetes' && deployment.kubernetes) {
      const kubernetes = deployment.kubernetes;
      if (kubernetes.helm) questions.push(Promise.resolve(helmProblem(context.env)));
      const key = `kube ${kubeconfigFiles(kubernetes, context).join(':')} ${kubernetes.context ?? ''}`;
      questions.push(ask(key, () => kubeUnreachable(kubernetes, context)));
    }
    return (await Promise.all(questions)).filter((problem): problem is string => problem !== undefined);
  };
}

/** helm: HELM_BIN when set (it must be executable), else the first on PATH. */
function helmProblem(env: RegistryContext['env']): string | undefined {
  const explicit = env['HELM_BIN'];
  if (explicit) return findOnPath(basename(explicit), dirname(explicit)) ? undefined : `HELM_BIN=${explicit} is not an executable file`;
  return findOnPath('helm', env['PATH'] ?? '') ? undefined : 'helm not found on PATH (the service deploys a Helm chart; or set HELM_BIN)';
}
