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

/** Why a start is refused when the image is not on this machine and the policy forbids a pull (said by preflight and the start alike). */
export const imageNotPulled = (image: string): string =>
  `image ${image} is not on this machine and pull = "never": build or load it first (docker build / docker load)`;

export async function ensureImage(
  docker: Docker,
  deployment: Pick<DockerDeployment, 'pull'> & { readonly image: string },
  progress: (text: string) => void,
): Promise<void> {
  const { image, pull } = deployment;
  const present = await docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present && pull !== 'always') return;
  if (!present && pull === 'never') throw new StartError(imageNotPulled(image));
  const layers = new Map<string, string>();
  const summary = () => [...layers].map(([id, state]) => `${id} ${state}`).join(', ');
  let toldAt = 0;
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (event: PullEvent) => {
          // Layer events carry a short layer id; the others (the tag, the digest) are not progress.
          if (!event.id || !event.status || !/^[0-9a-f]{12}$/.test(event.id)) return;
          const { current, total } = event.progressDetail ?? {};
          layers.set(event.id, total ? `${event.status} ${Math.round(((current ?? 0) / total) * 100)}%` : event.status);
          if (Date.now() - toldAt < PROGRESS_EVERY_MS) return;
          toldAt = Date.now();
          progress(`pulling ${image}: ${summary()}`);
        },
      ),
    );
  } catch (error) {
    if (present) return progress(`could not pull ${image}; using the local image (${(error as Error).message.trim()})`);
    throw new StartError(
      `image ${image} is not on this machine and could not be pulled (${(error as Error).message.trim()}); offline? build or load it locally`,
    );
  }
  progress(`pulled ${image}${layers.size > 0 ? `: ${summary()}` : ''}`);
}
