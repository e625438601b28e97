/**
 * A real, minimal OCI distribution endpoint on loopback (Docker pulls from 127.0.0.1 without TLS),
 * serving one image exported from the local engine with `docker save`: enough for `docker pull`
 * to download its layers with progress, on a machine that cannot reach any registry.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './cli-run';

export interface LocalRegistry {
  /** host:port, as an image reference prefix. */
  readonly address: string;
  close(): Promise<void>;
}

const digest = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Serves `image` (present in the local engine) as `<address>/<name>:<tag>`. */
export async function localRegistry(image: string, name: string, tag: string): Promise<LocalRegistry> {
  const dir = tempDir('pcc-registry-');
  execFileSync('docker', ['save', image, '-o', join(dir, 'image.tar')]);
  execFileSync('tar', ['-xf', join(dir, 'image.tar'), '-C', dir]);
  const [saved] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Config: string; Layers: string[] }[];
  const blobs = new Map<string, Buffer>();
  const add = (bytes: Buffer) => (blobs.set(digest(bytes), bytes), { digest: digest(bytes), size: bytes.length });
  const config = add(readFileSync(join(dir, saved!.Config)));
  // Layers go as saved (uncompressed tar): Docker detects the compression of what it downloads.
  const layers = saved!.Layers.map((layer) => add(readFileSync(join(dir, layer))));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
      layers: layers.map((layer) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...layer })),
    }),
  );
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    const send = (status: number, body: Buffer, type: string, extra: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'content-length': String(body.length), ...extra });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (url === '/v2/') return send(200, Buffer.from('{}'), 'application/json');
    if (url === `/v2/${name}/manifests/${tag}` || url === `/v2/${name}/manifests/${digest(manifest)}`) {
      return send(200, manifest, 'application/vnd.docker.distribution.manifest.v2+json', { 'docker-content-digest': digest(manifest) });
    }
    const blob = url.startsWith(`/v2/${name}/blobs/`) ? blobs.get(url.slice(`/v2/${name}/blobs/`.length)) : undefined;
    if (blob) return send(200, blob, 'application/octet-stream');
    send(404, Buffer.from('{"errors":[{"code":"NAME_UNKNOWN"}]}'), 'application/json');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
