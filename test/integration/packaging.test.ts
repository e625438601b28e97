/**
 * `npm run dist`'s configuration, packaged for real by electron-builder into an unpacked Linux app —
 * with Electron's own distribution replaced by a double (its binary cannot be fetched here). Checks
 * what the app needs is inside, that sources and tests are not, and that what services run and
 * docker mounts sits outside the archive.
 */
import { listPackage } from '@electron/asar';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-run';

describe('the desktop package', () => {
  it('holds the bundles, the CLI, the registries, the icons and the production dependencies', async () => {
    const electronDist = tempDir('pcc-electron-double-');
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(electronDist, 'electron'), 0o755);
    writeFileSync(join(electronDist, 'version'), 'v45.5.0');
    mkdirSync(join(electronDist, 'resources'));
    const output = tempDir('pcc-dist-');
    const builder = join(process.cwd(), 'node_modules', '.bin', 'electron-builder');
    await promisify(execFile)(
      builder,
      ['--linux', '--dir', '--publish', 'never', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`],
      { maxBuffer: 64 * 1024 * 1024 },
    );

    const app = join(output, 'linux-unpacked');
    expect(existsSync(join(app, 'provisioning-control-center'))).toBe(true);
    const files = new Set(listPackage(join(app, 'resources', 'app.asar'), { isPack: false }).map((file) => file.replaceAll('\\', '/')));
    for (const needed of [
      '/package.json',
      '/out/main/main.js',
      '/out/preload/preload.cjs',
      '/out/renderer/index.html',
      '/out/cli/provisioning.js',
      '/out/cli/log-shim.js',
      '/out/cli/registry-worker.js',
      '/out/main/registry-worker.js',
      '/bin/provisioning.js',
      '/config/demo.toml',
      '/resources/icon.png',
      '/resources/tray-degraded.png',
      '/node_modules/dockerode/package.json',
      '/node_modules/smol-toml/package.json',
    ]) {
      expect(files, needed).toContain(needed);
    }
    const leaked = [...files].filter((file) => /^\/(src-|test\/|bench\/|scripts\/)|\.map$|^\/node_modules\/(electron|vitest|react|@xyflow)\//.test(file));
    expect(leaked).toEqual([]);
    // Services run from these folders and docker mounts them: they must be real files.
    expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'platform', 'demo', 'service.mjs'))).toBe(true);
    expect(existsSync(join(app, 'resources', 'app.asar.unpacked', 'config', 'demo.toml'))).toBe(true);
  }, 120_000);
});
