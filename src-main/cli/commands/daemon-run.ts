/**
 * `daemon run`: the headless owner in the foreground (the CLI starts it in the background on
 * demand). The owner lock is taken first: of the daemons that clients racing for an owner-less home
 * start, every loser exits having loaded neither the registry nor the engine.
 */
import type { RegistrySource } from '../../core/registry/discovery-order';
import { claimHome } from '../../daemon/home-claim';
import type { CommandContext } from '../command-context';

/** `foundBy`: how the client that started it found the file it passed as --config (else that flag is the source). */
export async function daemonRun(ctx: CommandContext, foundBy?: RegistrySource): Promise<void> {
  const log = (line: string) => ctx.out(`${new Date().toISOString()} ${line}`);
  const claim = await claimHome(ctx.home);
  if (!claim) return log(`another manager already owns ${ctx.home}; exiting`);
  const [{ runDaemon }, { RegistryFile }] = await Promise.all([import('../../daemon/run-daemon'), import('../../core/registry/registry-file')]);
  await runDaemon(claim, async () => {
    const { loaded, registry } = await ctx.registry();
    return {
      home: claim.home,
      registry,
      registryFile: new RegistryFile(foundBy ? { ...loaded.location, source: foundBy } : loaded.location, ctx.io.cwd),
      env: ctx.io.env,
      log,
    };
  });
}
