/**
 * `provisioning settings web-terminals [on|off]`: whether the browser host (`provisioning ui`) may
 * open terminals into services — a shell for whoever holds its page token. Changed here or in the
 * desktop app, never from the browser (the owner refuses it a web session). Without an argument,
 * says what it is.
 */
import type { CommandContext } from '../command-context';

export async function settingsWebTerminals(ctx: CommandContext, value: 'on' | 'off' | undefined): Promise<void> {
  const { client } = await ctx.owner();
  const settings = value === undefined ? await client.call('settings') : await client.call('updateSettings', { webTerminals: value === 'on' });
  if (ctx.options.json) return ctx.json({ webTerminals: settings.webTerminals });
  ctx.out(
    settings.webTerminals
      ? 'terminals in the browser: on (whoever holds the page token of `provisioning ui` can open a shell into a service)'
      : 'terminals in the browser: off (`provisioning settings web-terminals on` turns them on)',
  );
}
