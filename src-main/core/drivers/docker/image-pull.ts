/** The image a service needs, present locally or pulled (per its `pull` policy), with per-layer progress. */
import type Docker from 'dockerode';
import { StartError } from '../driver';
import type { DockerDeployment } from './container-spec';

/** Progress is told at most this often: a pull of many layers would flood the event stream. */
const PROGRESS_EVERY_MS = 250;

interface PullEvent {
  readonly id?: string;
  readonly status?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
}

export async function ensureImage(docker: Docker, deployment: DockerDeployment, progress: (text: string) => void): Promise<void> {
  const { image, pull } = deployment;
  const present = await docker.getImage(image).inspect().then(() => true, () => false);
  if (present && pull !== 'always') return;
  if (!present && pull === 'never') throw new StartError(`image ${image} is not on this machine and pull = "never": build or load it first (docker build / docker load)`);
  const layers = new Map<string, string>();
  let toldAt = 0;
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (event: PullEvent) => {
          if (!event.id || !event.status) return;
          const { current, total } = event.progressDetail ?? {};
          layers.set(event.id, total ? `${event.status} ${Math.round(((current ?? 0) / total) * 100)}%` : event.status);
          if (Date.now() - toldAt < PROGRESS_EVERY_MS) return;
          toldAt = Date.now();
          progress(`pulling ${image}: ${[...layers].map(([id, state]) => `${id.slice(0, 12)} ${state}`).join(', ')}`);
        },
      ),
    );
  } catch (error) {
    if (present) return progress(`could not pull ${image}; using the local image (${(error as Error).message.trim()})`);
    throw new StartError(`image ${image} is not on this machine and could not be pulled (${(error as Error).message.trim()}); offline? build or load it locally`);
  }
  progress(`pulled ${image}`);
}
