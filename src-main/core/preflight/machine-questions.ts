/**
 * What deployment modes ask of the machine: a reachable Docker engine, a Compose command, helm, a
 * reachable Kubernetes context, a Docker image present locally. One start of many services asks each question once: answers are
 * kept for a few seconds. Which mode asks which is the mode table's (drivers/modes.ts).
 */
import { basename, dirname } from 'node:path';
import { detectCompose } from '../drivers/compose/compose-command';
import { dockerUnreachable, imageOnMachine } from '../drivers/docker/docker-endpoint';
import type { RegistryContext } from '../drivers/driver';
import { kubeconfigFiles, kubeUnreachable, type KubernetesDeployment } from '../drivers/kubernetes/kube-target';
import { findOnPath } from './find-on-path';

const KEEP_MS = 3_000;

/** Each answer is a problem, or undefined when there is none. */
export interface MachineQuestions {
  docker(): Promise<string | undefined>;
  /** Whether the Docker engine has the image locally (undefined: it could not tell). */
  dockerImage(image: string): Promise<boolean | undefined>;
  compose(): Promise<string | undefined>;
  helm(): Promise<string | undefined>;
  kubernetes(target: KubernetesDeployment): Promise<string | undefined>;
}

export function machineQuestions(context: RegistryContext, now: () => number = Date.now): MachineQuestions {
  const answers = new Map<string, { at: number; problem: Promise<string | undefined> }>();
  const ask = (key: string, question: () => Promise<string | undefined>): Promise<string | undefined> => {
    const kept = answers.get(key);
    if (kept && now() - kept.at < KEEP_MS) return kept.problem;
    const problem = question();
    answers.set(key, { at: now(), problem });
    return problem;
  };
  return {
    docker: () => ask('docker', () => dockerUnreachable(context.env)),
    dockerImage: (image) => imageOnMachine(context.env, image),
    compose: () =>
      ask('compose', async () =>
        (await detectCompose(context.env)) ? undefined : 'Docker Compose not found: neither `docker compose` (v2) nor `docker-compose` (v1) runs on PATH',
      ),
    helm: () => Promise.resolve(helmProblem(context.env)),
    kubernetes: (target) => ask(`kube ${kubeconfigFiles(target, context).join(':')} ${target.context ?? ''}`, () => kubeUnreachable(target, context)),
  };
}

/** helm: HELM_BIN when set (it must be executable), else the first on PATH. */
function helmProblem(env: RegistryContext['env']): string | undefined {
  const explicit = env['HELM_BIN'];
  if (explicit) return findOnPath(basename(explicit), dirname(explicit)) ? undefined : `HELM_BIN=${explicit} is not an executable file`;
  return findOnPath('helm', env['PATH'] ?? '') ? undefined : 'helm not found on PATH (the service deploys a Helm chart; or set HELM_BIN)';
}
