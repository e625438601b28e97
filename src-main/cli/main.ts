/** Entry point of the `provisioning` CLI. */
import { runCli } from './program';

let outputLost = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // `provisioning … | head` closes the pipe early: that is the reader's choice, not an error.
    if (error.code === 'EPIPE') process.exit();
    // Output redirected to a full disk (the daemon's log): the output is lost, not the process —
    // an owner must not die of it — and the exit code says the output is incomplete.
    if (error.code !== 'ENOSPC') throw error;
    outputLost = true;
  });
}

// Not a top-level await: the bundle is CommonJS (scripts/build-cli.mjs says why); a failure is still
// an unhandled rejection that ends the process with its stack.
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code === 0 && outputLost ? 1 : code;
  // The command is done. Nothing was found to linger after `daemon run` (getActiveResourcesInfo()
  // showed only a settling fs request, with http and command checks and after a stop), but a handle
  // a driver might keep must not hold a finished process (and a stopped daemon's pid) alive.
  setTimeout(() => process.exit(), 1_000).unref();
});
