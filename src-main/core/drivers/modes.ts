/**
 * What the engine knows of each deployment mode, in one table: whether its services are supervised
 * here (a driver starts, stops and adopts them) or only watched (a remote service runs elsewhere:
 * its check runs, nothing else), and what a start needs from the machine (preflight). The engine and
 * preflight read this table; they never test a mode.
 */
import type { DeploymentMode, ServiceDefinition } from '@shared/model';
import type { MachineQuestions } from '../preflight/machine-questions';
import { binaryProblems } from './binary/binary-preflight';
import { BinaryDriver } from './binary/binary-driver';
import { buildPathProblems, buildPaths } from './docker/build-paths';
import { imageNotPulled } from './docker/image-pull';
import type { RegistryContext, ServiceDriver } from './driver';

type Env = Readonly<Record<string, string | undefined>>;

export interface ModeEntry {
  /** supervised: started, stopped and adopted here; watched: checked only. */
  readonly supervision: 'supervised' | 'watched';
  /**
   * The driver of a supervised mode, made once per engine with the owner's environment. Loaded when
   * a service of its mode exists: an owner of binary services never loads Docker's or Kubernetes'
   * client (dockerode alone is ~150 ms of a cold start and 60 modules of grpc, protobuf and ssh2).
   */
  readonly driver?: (env: Env) => Promise<ServiceDriver>;
  /** Its driver opens terminals into running services (`exec`): a shell beside the process, in the container or the pod. */
  readonly exec?: true;
  /** Its driver builds this service's image again on request (`rebuild`): a docker service with docker.build, a compose service. */
  readonly rebuilds?: (service: ServiceDefinition) => boolean;
  /** Problems a start would meet on this machine (empty: none). */
  needs(service: ServiceDefinition, context: RegistryContext, machine: MachineQuestions): Promise<string[]>;
  /** What a start would do first that is no problem but worth saying (preflight's "would pull <image>"); absent: nothing. */
  prepares?(service: ServiceDefinition, machine: MachineQuestions): Promise<string[]>;
  /** What starting it runs, in words (a person confirms a new registry by these). */
  runs(service: ServiceDefinition): string[];
}

const found = async (...problems: Promise<string | undefined>[]): Promise<string[]> =>
  (await Promise.all(problems)).filter((p): p is string => p !== undefined);

export const MODES: Readonly<Record<DeploymentMode, ModeEntry>> = {
  binary: {
    supervision: 'supervised',
    exec: true,
    driver: () => Promise.resolve(new BinaryDriver()),
    needs: binaryProblems,
    runs: ({ deployment: { binary } }) => (binary ? [`${binary.shell ? 'shell: ' : '$ '}${[binary.command, ...binary.args].join(' ')}`] : []),
  },
  docker: {
    supervision: 'supervised',
    exec: true,
    driver: async (env) => new (await import('./docker/docker-driver')).DockerDriver(env),
    rebuilds: ({ deployment: { docker } }) => docker?.build !== undefined,
    needs: async ({ name, deployment: { docker } }, context, machine) => {
      const unreachable = await machine.docker();
      if (unreachable) return [unreachable];
      // A built image needs its context and Dockerfile here; it is never pulled.
      if (docker?.build) return buildPathProblems(name, buildPaths(docker.build, context));
      // A missing image is pulled unless the policy forbids it: only then would the start be refused.
      return docker?.image && docker.pull === 'never' && (await machine.dockerImage(docker.image)) === false ? [imageNotPulled(docker.image)] : [];
    },
    prepares: async ({ deployment: { docker } }, machine) => {
      // A built image is built here, never pulled (image-build.ts says what a build does).
      if (!docker?.image || docker.build || docker.pull === 'never') return [];
      if (docker.pull === 'always') return [`would pull ${docker.image} (pull = "always")`];
      // Only an engine that answered "not here" means a pull: one that could not tell is needs()'s to name.
      return (await machine.dockerImage(docker.image)) === false ? [`would pull ${docker.image}: not on this machine (pull = "missing")`] : [];
    },
    runs: ({ deployment: { docker } }) =>
      docker
        ? [
            `docker image ${docker.build ? `built from ${docker.build.context}${docker.image ? ` as ${docker.image}` : ''}` : docker.image}${docker.command ? ` running ${docker.command.join(' ')}` : ''}`,
          ]
        : [],
  },
  'docker-compose': {
    supervision: 'supervised',
    exec: true,
    driver: async (env) => new (await import('./compose/compose-driver')).ComposeDriver(env),
    // Compose knows whether the service has a `build:` section; one without answers "nothing to build".
    rebuilds: () => true,
    needs: (_s, _c, machine) => found(machine.docker(), machine.compose()),
    runs: ({ deployment }) => (deployment['docker-compose'] ? [`compose file ${deployment['docker-compose'].file}`] : []),
  },
  kubernetes: {
    supervision: 'supervised',
    exec: true,
    driver: async () => new (await import('./kubernetes/kubernetes-driver')).KubernetesDriver(),
    needs: (service, _c, machine) => {
      const target = service.deployment.kubernetes;
      return target ? found(...(target.helm ? [machine.helm()] : []), machine.kubernetes(target)) : Promise.resolve([]);
    },
    runs: ({ deployment: { kubernetes } }) =>
      kubernetes
        ? [
            ...kubernetes.manifests.map((manifest) => `kubernetes manifest ${manifest}`),
            ...(kubernetes.inline ? ['kubernetes manifests written in the registry'] : []),
            ...(kubernetes.helm ? [`helm chart ${kubernetes.helm.chart}`] : []),
          ]
        : [],
  },
  remote: {
    supervision: 'watched',
    needs: () => Promise.resolve([]),
    runs: ({ deployment: { remote } }) => (remote ? [`nothing here: watches ${remote.url}`] : []),
  },
};

export const modeOf = (service: ServiceDefinition): ModeEntry => MODES[service.deployment.mode];
