/**
 * Preflight checks a docker service's image against the real engine: with pull = "never" a missing
 * image is a refusal named before anything starts (not "would start"), while the same missing image
 * under the default policy is left to the pull, and a present image passes either way.
 */
import { expect, it } from 'vitest';
import { harnesses } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const { open } = harnesses();
const docker = (name: string, image: string, pull?: string) =>
  `[services.${name}.deployment]\nmode = "docker"\ndocker = { image = "${image}"${pull ? `, pull = "${pull}"` : ''} }\n`;
const MISSING = 'local/not-built-here:never';

describeWith('docker')('preflight of a docker image', () => {
  it('refuses an image that is not on the machine when pull = "never", and only then', async () => {
    const h = await open(
      [docker('never', MISSING, 'never'), docker('pulls', MISSING), docker('present', 'local/busybox:test', 'never')].join('\n'),
      process.env,
    );
    const verdicts = Object.fromEntries((await h.engine.readiness()).map((r) => [r.name, [r.verdict, r.reasons]]));
    expect(verdicts).toEqual({
      never: ['blocked', [`image ${MISSING} is not on this machine and pull = "never": build or load it first (docker build / docker load)`]],
      pulls: ['would start', []],
      present: ['would start', []],
    });
  });
});
