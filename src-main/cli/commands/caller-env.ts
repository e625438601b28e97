/**
 * What a command sends with a start: the values, in this shell's environment, of the variables the
 * registry's env references read — nothing else of it. The owner keeps them in memory only.
 */
import { CLIENT_ENV_LIMITS, clientEnvSchema, type ClientEnv } from '@shared/contract/client-env';
import type { Registry } from '@shared/model';
import { referencedEnv } from '../../core/drivers/env-references';
import { CliExit, EXIT } from '../cli-io';
import type { CommandContext } from '../command-context';

export function callerEnv(ctx: CommandContext, registry: Registry): ClientEnv {
  const env = referencedEnv(registry, ctx.io.env);
  if (clientEnvSchema.safeParse(env).success) return env;
  const { variables, valueLength, totalLength } = CLIENT_ENV_LIMITS;
  ctx.err(
    ctx.paint.red(
      `the variables the registry references are too large to send: at most ${variables} variables, ${valueLength} characters each and ${totalLength} in all, without NUL characters`,
    ),
  );
  throw new CliExit(EXIT.invalid);
}
