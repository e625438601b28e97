/**
 * Preflight checks a docker service's image against the real engine: with pull = "never" a missing
 * image is a refusal named before anything starts (not "would start"), while the same missing image
 * under the default policy would start by pulling it — and preflight says so ("would pull <image>",
 * not a plain "would start"); pull = "always" says it pulls even a present image; a present image
 * under the default policy is a plain "would start".
 */
import { expect, it } from 'vitest';
import { harnesses } from '../support/engine-harness';
import { describeWith } from '../support/engines';

const { open } = harnesses();
const docker = (name: string, image: string, pull?: string) =>
  `[services.${name}.deployment]\nmode = "docker"\ndocker = { image = "${image}"${pull ? `, pull = "${pull}"` : ''} }\n`;
const MISSING = 'local/nothing:here';

describeWith('docker')('preflight of a docker image', () => {
  it('refuses a missing image when pull = "never", and says "would pull" where the policy pulls', async () => {
    const h = await open(
      [
        docker('never', MISSING, 'never'),
        docker('pulls', MISSING),
        docker('present', 'local/busybox:test', 'never'),
        docker('local', 'local/busybox:test'),
        docker('always', 'local/busybox:test', 'always'),
      ].join('\n'),
      process.env,
    );
    const verdicts = Object.fromEntries((await h.engine.readiness()).map((r) => [r.name, [r.verdict, r.reasons]]));
    expect(verdicts).toEqual({
      never: ['blocked', [`image ${MISSING} is not on this machine and pull = "never": build or load it first (docker build / docker load)`]],
      pulls: ['would start', [`would pull ${MISSING}: not on this machine (pull = "missing")`]],
      present: ['would start', []],
      local: ['would start', []],
      always: ['would start', ['would pull local/busybox:test (pull = "always")']],
    });
  });
});
