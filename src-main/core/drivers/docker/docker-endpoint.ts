/**
 * Where the Docker engine listens, read from the manager's environment as the docker CLI reads it
 * (DOCKER_HOST, default the local socket), and a ping that says how to fix an unreachable engine.
 */
import type Docker from 'dockerode';
import type { RegistryContext } from '../driver';

export interface DockerEndpoint {
  readonly options: Docker.DockerOptions;
  /** As the user would write it: unix:///var/run/docker.sock, tcp://host:2375. */
  readonly address: string;
}

export function dockerEndpoint(env: RegistryContext['env']): DockerEndpoint {
  const host = env['DOCKER_HOST'];
  if (!host || host.startsWith('unix://')) {
    const socketPath = host?.slice('unix://'.length) || '/var/run/docker.sock';
    return { options: { socketPath }, address: `unix://${socketPath}` };
  }
  const url = new URL(host.includes('//') ? host : `tcp://${host}`);
  if (url.protocol !== 'tcp:') throw new Error(`DOCKER_HOST=${host}: only unix:// and tcp:// engines are supported`);
  return { options: { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' }, address: `tcp://${url.host}` };
}

/** Whether the engine has the image locally (undefined: it could not tell, as when it does not answer). */
export async function imageOnMachine(env: RegistryContext['env'], image: string, timeoutMs = 3_000): Promise<boolean | undefined> {
  try {
    const { default: Docker } = await import('dockerode');
    await new Docker({ ...dockerEndpoint(env).options, timeout: timeoutMs }).getImage(image).inspect();
    return true;
  } catch (error) {
    return (error as { statusCode?: number }).statusCode === 404 ? false : undefined;
  }
}

/** Undefined when the engine answers its ping within the timeout, else what is wrong and what to do. */
export async function dockerUnreachable(env: RegistryContext['env'], timeoutMs = 3_000): Promise<string | undefined> {
  let endpoint: DockerEndpoint;
  try {
    endpoint = dockerEndpoint(env);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    // Loaded here, not at the top: preflight asks this only of a docker or compose service.
    const { default: Docker } = await import('dockerode');
    await new Docker({ ...endpoint.options, timeout: timeoutMs }).ping();
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES'
        ? 'permission denied: add your user to the docker group, or run as root'
        : 'is dockerd running? start it with `sudo systemctl start docker` (or `sudo dockerd &`)';
    return `Docker engine not reachable at ${endpoint.address} (${code ?? (error as Error).message}): ${why}`;
  }
}
