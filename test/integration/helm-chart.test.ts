/** platform/charts/web, the chart the Helm tests deploy: valid for the real helm, and shaped by its values. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWith, helmBin } from '../support/engines';

const chart = join(process.cwd(), 'platform', 'charts', 'web');
const helm = (...args: string[]) => execFileSync(helmBin(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWith('helm')('platform/charts/web', () => {
  it('passes helm lint', () => {
    expect(helm('lint', chart)).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  it('renders a Deployment of the local image that is never pulled, a Service and the page, from its values', () => {
    const rendered = helm('template', 'demo', chart, '--set', 'message=changed page', '--set', 'replicaCount=2');
    expect(rendered).toContain('kind: Deployment');
    expect(rendered).toContain('kind: Service');
    expect(rendered).toMatch(/image: "local\/busybox:test"\n\s+imagePullPolicy: Never/);
    expect(rendered).toMatch(/replicas: 2\n/);
    expect(rendered).toContain('index.html: "changed page"');
    const other = helm('template', 'demo', chart, '--set', 'message=another page');
    const checksum = (text: string) => /checksum\/message: (\S+)/.exec(text)![1];
    expect(checksum(other)).not.toBe(checksum(rendered));
  });
});
