/**
 * `init`: writes the platform registry (and its JSON Schema, for editor completion) to the user's
 * config dir, with a commented `services.local.toml.example` for the changes that are one person's.
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../core/state/atomic-write';
import { dirname, join } from 'node:path';
import { localOverrideExamplePath, platformRegistryPath, provisioningHome, registrySchemaPath, userRegistryPath } from '../../core/paths';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export async function init(ctx: CommandContext, options: { force: boolean }): Promise<void> {
  const home = provisioningHome(ctx.io.env);
  const target = userRegistryPath(home);
  const exists = existsSync(target);
  if (exists && !options.force) {
    ctx.err(ctx.paint.red(`${target} already exists; run \`provisioning init --force\` to replace it (the old file is kept as services.toml.bak)`));
    throw new CliExit(EXIT.invalid);
  }
  // A home we create holds state and logs too: private to the user. An existing folder keeps its mode.
  if ((await mkdir(home, { recursive: true })) !== undefined) await chmod(home, 0o700);
  await mkdir(dirname(target), { recursive: true });
  if (exists) await copyFile(target, `${target}.bak`);
  await writeFileAtomic(target, await readFile(platformRegistryPath()), 0o644);
  await writeFileAtomic(join(dirname(target), 'services.schema.json'), await readFile(registrySchemaPath()), 0o644);
  await writeFileAtomic(join(dirname(target), 'services.local.toml.example'), await readFile(localOverrideExamplePath()), 0o644);
  if (ctx.options.json) {
    ctx.json({ registry: target, replaced: exists });
    return;
  }
  ctx.out(`${ctx.paint.green('✓')} wrote ${target}${exists ? ' (previous file kept as services.toml.bak)' : ''}`);
  ctx.out(ctx.paint.dim('  the seed platform registry; edit it, then check it with `provisioning services validate`'));
  ctx.out(ctx.paint.dim('  changes of your own go in services.local.toml beside it: see services.local.toml.example'));
}
