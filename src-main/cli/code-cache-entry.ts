/**
 * The CLI's entry as built (out/cli/provisioning.js, CommonJS): runs the bundle beside it
 * (cli-<content hash>.cjs) through V8's code cache, so a command does not parse and compile the
 * code it runs again on every start (issue 18: about a fifth of a command's CPU; bench/cli.bench.ts).
 * Node 20 has no compile cache of its own (module.enableCompileCache is Node 22).
 *
 * The cache (cli-<hash>.v8cache) is written once, by the build (scripts/build-cli.mjs runs
 * `--help` with PROVISIONING_WRITE_CODE_CACHE=1): so it holds the code every command runs (commander,
 * the command tree) and not what one long process compiled (a daemon's would be large, and every
 * command would pay for reading it), and no command writes into the package folder. Both files are
 * named by the bundle's content: V8 checks a cache only against the source's length, so a cache is
 * never read beside another build's source. One V8 rejects (another Node ran the build) is ignored:
 * the bundle then compiles from its source, as without a cache.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { wrap } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

/** The bundle's file name, set by scripts/build-cli.mjs. */
declare const CLI_BUNDLE: string;

const bundle = join(__dirname, CLI_BUNDLE);
const cacheFile = bundle.replace(/\.cjs$/, '.v8cache');

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // Not written (a build whose `--help` run failed, a read-only copy): compiled from the source.
}
const script = new Script(wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });

if (process.env['PROVISIONING_WRITE_CODE_CACHE'] === '1') {
  // At exit: the cache then holds every function the run compiled, not only the top level.
  process.once('exit', () => {
    const temporary = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only install: commands compile from the source, as without a cache.
    }
  });
}

// The bundle runs as this module would: its `require` resolves packages from this same folder.
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, bundle, __dirname);
