/** The Docker engine stopped mid-run: its services are shown unknown, and recover when it is back. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { harnesses, waitFor } from '../support/engine-harness';
import { describeWith } from '../support/engines';
import { privateDockerd } from '../support/private-dockerd';

const { open } = harnesses();

describeWith('private-dockerd')('a Docker engine that goes away', () => {
  const engine = privateDockerd();
  beforeAll(() => engine.start(), 60_000);
  afterAll(() => engine.remove(), 60_000);

  it('shows its services unknown while it is away, and healthy again when it is back', async () => {
    const text = [
      '[services.outage.deployment]',
      'mode = "docker"',
      `docker = { image = "local/busybox:test", command = ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"], network = "none" }`,
      '',
    ].join('\n');
    const h = await open(text, { ...process.env, DOCKER_HOST: engine.host });
    expect((await h.engine.start('outage')).state).toBe('healthy');
    const pid = h.engine.status()[0]!.pid;
    await engine.stop();
    await waitFor(() => h.engine.status()[0]!.state === 'unknown', 15_000);
    expect(h.engine.status()[0]!.reason).toBe(
      `Docker engine not reachable at ${engine.host} (ENOENT): is dockerd running? start it with \`sudo systemctl start docker\` (or \`sudo dockerd &\`)`,
    );
    await engine.start();
    await waitFor(() => h.engine.status()[0]!.state === 'healthy', 15_000);
    expect(h.engine.status()[0]).toMatchObject({ reason: 'its engine is reachable again', pid });
  }, 90_000);
});
