/**
 * `daemon stop|status`: the headless owner of supervision (`daemon run` is daemon-run.ts).
 */
import { privateStateRoot, recordedOwnerPid } from '../../daemon/daemon-paths';
import { answerDeadline } from '../../daemon/owner-client';
import { listenerAt, ownerLockPath } from '../../daemon/owner-lock';
import { trackingLine } from '@shared/contract/tracking';
import { runningHomes } from '../../daemon/running-homes';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export async function daemonStop(ctx: CommandContext): Promise<void> {
  const client = await ctx.runningOwner();
  if (!client) return ctx.out('no daemon is running');
  const { pid } = await client.call('hello');
  await client.call('shutdown');
  client.close();
  // `shutdown` answers at once; the owner then detaches its engine and only then lets the lock go.
  if (!(await released(ctx, pid))) {
    ctx.err(`the daemon (pid ${pid}) was asked to stop and is still letting go of its services; \`kill ${pid}\` ends it (services keep running)`);
    throw new CliExit(EXIT.invalid);
  }
  ctx.out(`daemon (pid ${pid}) stopped; services keep running and the next owner adopts them`);
}

/** Whether the lock is let go (or another owner holds it) within the answer deadline. */
async function released(ctx: CommandContext, pid: number): Promise<boolean> {
  const stateRoot = privateStateRoot(ctx.home);
  const deadline = Date.now() + answerDeadline(ctx.io.env);
  while (Date.now() < deadline) {
    const holder = recordedOwnerPid(stateRoot) ?? pid;
    if (holder !== pid || !running(pid) || (await listenerAt(ownerLockPath(stateRoot))) !== 'alive') return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This home's owner, then every home of this user with a running owner (several registries side by side). */
export async function daemonStatus(ctx: CommandContext): Promise<void> {
  const client = await ctx.runningOwner();
  const hello = client && (await client.call('hello'));
  client?.close();
  const homes = runningHomes(ctx.io.env);
  if (ctx.options.json) return ctx.json(hello ? { running: true, ...hello, homes } : { running: false, homes });
  if (!hello) ctx.out(`no daemon is running for ${ctx.home}`);
  else {
    ctx.out(`daemon pid ${hello.pid} owns ${hello.home} (registry ${hello.registry})`);
    // An owner older than the field does not say.
    if (hello.tracking) ctx.out(`process tracking: ${trackingLine(hello.tracking)}`);
  }
  const others = homes.filter((h) => h.home !== hello?.home);
  if (others.length === 0) return;
  ctx.out(`\n${hello ? 'other homes' : 'homes'} with a running owner (PROVISIONING_HOME=<home> to use one):`);
  ctx.table(
    ['HOME', 'REGISTRY', 'PID'],
    others.map((h) => [h.home, h.registry, String(h.pid)]),
  );
}
