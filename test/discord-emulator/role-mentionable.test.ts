import { once } from 'node:events';
import { Client, GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from './index.js';

let emulator: DiscordEmulator;
let client: Client;

beforeAll(async () => {
  emulator = await startDiscordEmulator({
    roles: [{ name: 'oncall', mentionable: true }, { name: 'quiet' }],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
  const ready = once(client, 'clientReady');
  await client.login(emulator.token);
  await ready;
});

afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

it('Discord emulator: a role is mentionable only when seeded so (off by default, as on Discord)', () => {
  const roles = client.guilds.cache.get(emulator.guildId)!.roles.cache;

  expect(emulator.role('oncall').mentionable).toBe(true);
  expect(roles.get(emulator.role('oncall').id)?.mentionable).toBe(true);
  expect(roles.get(emulator.role('quiet').id)?.mentionable).toBe(false);
});
