// Bundles the CLI into out/cli/ (under a second); runs on `npm install` via `prepare`. Beside it,
// out/cli/log-shim.js: the small process between a binary service and its raw log files,
// out/cli/pty-shim.js: the one that holds an interactive service's terminal, and
// out/cli/registry-worker.js: the worker thread that validates registry texts sent by clients.
//
// The CLI is one CommonJS file, cli-<content hash>.cjs, run by out/cli/provisioning.js through V8's
// code cache (src-main/cli/code-cache-entry.ts), written here once by a `--help` run. CommonJS, not
// ES modules: Node's ES module loader costs a command more than the code it loads — an ES entry of
// one line costs ~6 ms of CPU and ~20 ms of wall time more than a CommonJS one, and each module
// resolved a few tenths of a millisecond more (issue 18, bench/cli.bench.ts). One file, yet a command
// still runs only what it needs: each command's implementation is a dynamic import in program.ts,
// which esbuild turns into a module initialised when first imported, and the packages (all but
// commander) stay external, required only by the code that uses them — `services status` neither
// builds the schemas nor loads a driver. Dynamic imports of packages become `require` (Node ≥ 20.19
// requires ES modules too): code run by vm.Script cannot `import()` without an experimental flag.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const outdir = 'out/cli';
const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'));
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20.19', sourcemap: true, logLevel: 'warning' };

// The ES module chunks of the builds before this one was CommonJS: a daemon started from one
// imports its chunks as it needs them, so they stay ES modules until they are a day old (below).
const chunks = join(outdir, 'chunks');
if (existsSync(chunks)) writeFileSync(join(chunks, 'package.json'), '{ "type": "module" }\n');

// Every file is written whole (a temporary file renamed), so a command starting meanwhile reads the
// old or the new one; a bundle named by its content is not written again.
const writeWhole = (path, contents) => {
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
};
const [cli, helpers] = await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src-main/cli/main.ts' },
    entryNames: '[name]-[hash]',
    outExtension: { '.js': '.cjs' },
    outdir,
    external: Object.keys(dependencies).filter((name) => name !== 'commander'),
    supported: { 'dynamic-import': false },
    // paths.ts finds the package folder, and registry-validator.ts its worker, from import.meta.url.
    define: { 'import.meta.url': '__import_meta_url' },
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    write: false,
  }),
  build({
    ...common,
    entryPoints: {
      'log-shim': 'src-main/core/logs/log-shim.ts',
      'pty-shim': 'src-main/core/interactive/pty-shim.ts',
      'registry-worker': 'src-main/core/registry/registry-worker.ts',
    },
    outdir,
    // The pty shim loads node-pty's native module from the package's node_modules.
    external: ['node-pty'],
    write: false,
  }),
]);
mkdirSync(outdir, { recursive: true });
// This folder's .js files are CommonJS; the package's own are ES modules.
writeWhole(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
for (const file of cli.outputFiles) if (!existsSync(file.path)) writeWhole(file.path, file.contents);
for (const file of helpers.outputFiles) writeWhole(file.path, file.contents);
const bundle = basename(cli.outputFiles.find((file) => file.path.endsWith('.cjs')).path);

// The entry, which names the bundle.
const { outputFiles } = await build({
  ...common,
  sourcemap: false,
  entryPoints: ['src-main/cli/code-cache-entry.ts'],
  define: { CLI_BUNDLE: JSON.stringify(bundle) },
  write: false,
});
const entry = join(outdir, 'provisioning.js');
writeWhole(entry, outputFiles[0].contents);

const cache = join(outdir, bundle.replace(/\.cjs$/, '.v8cache'));
if (!existsSync(cache)) {
  const run = spawnSync(process.execPath, [entry, '--help'], { env: { ...process.env, PROVISIONING_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`${entry} --help failed (${run.status ?? run.signal}): the bundle does not start`);
}

// Bundles and caches of earlier builds: a process started just before this build may still be
// reading its own. Those no build has written for a day go.
const DAY_MS = 24 * 3_600_000;
// (Gone already: another build, at the same time, took it.)
const stale = (path) => Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > DAY_MS;
const current = [bundle, `${bundle}.map`, basename(cache)];
for (const name of readdirSync(outdir)) {
  const path = join(outdir, name);
  if (/^cli-.+\.(cjs|cjs\.map|v8cache)$/.test(name) && !current.includes(name) && stale(path)) unlinkSync(path);
}
if (existsSync(chunks)) {
  for (const name of readdirSync(chunks)) if (name !== 'package.json' && stale(join(chunks, name))) unlinkSync(join(chunks, name));
  if (readdirSync(chunks).length === 1) {
    unlinkSync(join(chunks, 'package.json'));
    rmdirSync(chunks);
  }
}
