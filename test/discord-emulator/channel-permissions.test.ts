import { once } from 'node:events';
import { Client, DiscordAPIError, GatewayIntentBits, PermissionFlagsBits, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordEmulator, type DiscordEmulator } from './index.js';

const { ViewChannel, SendMessages, EmbedLinks, ReadMessageHistory } = PermissionFlagsBits;

let emulator: DiscordEmulator;
let client: Client;

beforeAll(async () => {
  emulator = await startDiscordEmulator({
    roles: [{ name: 'staff' }],
    channels: [
      { name: 'general' },
      {
        name: 'hidden',
        permissionOverwrites: [{ target: 'Emulated Bot', type: 'role', deny: ViewChannel }],
      },
      {
        name: 'read-only',
        permissionOverwrites: [{ target: '@everyone', type: 'role', deny: SendMessages }],
      },
      {
        name: 'bot-allowed',
        permissionOverwrites: [
          { target: '@everyone', type: 'role', deny: SendMessages },
          { target: 'Emulated Bot', type: 'member', allow: SendMessages },
        ],
      },
    ],
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

const bot = () => emulator.botUser.id;
const post = (channel: string, body: object) =>
  client.rest.post(Routes.channelMessages(emulator.channel(channel).id), { body });
const codeOf = async (request: Promise<unknown>) =>
  request.then(
    () => 'ok',
    (err: unknown) => (err instanceof DiscordAPIError ? err.code : err),
  );

describe('Discord emulator: channel permission overwrites', () => {
  it('applies @everyone, role and member overwrites as Discord does', () => {
    expect(emulator.channelPermissionsOf(bot(), 'general') & ViewChannel).toBe(ViewChannel);
    expect(emulator.channelPermissionsOf(bot(), 'hidden') & ViewChannel).toBe(0n);
    expect(emulator.channelPermissionsOf(bot(), 'read-only') & SendMessages).toBe(0n);
    expect(emulator.channelPermissionsOf(bot(), 'bot-allowed') & SendMessages).toBe(SendMessages);
    // The owner holds everything, whatever the overwrites say.
    expect(emulator.channelPermissionsOf(emulator.ownerId, 'read-only') & SendMessages).toBe(SendMessages);
  });

  it('refuses posts as Discord does: Missing Access where the bot cannot see, Missing Permissions where it cannot send', async () => {
    expect(await codeOf(post('hidden', { content: 'x' }))).toBe(50001);
    expect(await codeOf(post('read-only', { content: 'x' }))).toBe(50013);
    expect(await codeOf(post('bot-allowed', { content: 'x' }))).toBe('ok');
    expect(await codeOf(client.rest.get(Routes.channel(emulator.channel('hidden').id)))).toBe(50001);
    expect(await codeOf(client.rest.post(Routes.channelMessages('1'.repeat(18)), { body: {} }))).toBe(10003);
  });

  it('asks Read Message History of a reply', async () => {
    const target = emulator.addChannel({
      name: 'no-history',
      permissionOverwrites: [{ target: 'Emulated Bot', type: 'role', deny: ReadMessageHistory }],
    });
    const first = (await post('no-history', { content: 'first' })) as { id: string };
    const reply = post('no-history', {
      content: 'again',
      message_reference: { message_id: first.id, channel_id: target.id },
    });
    expect(await codeOf(reply)).toBe(50013);
  });

  it('hands the overwrites to discord.js, which computes the same permissions', async () => {
    const guild = client.guilds.cache.get(emulator.guildId)!;
    const me = await guild.members.fetchMe();
    const readOnly = guild.channels.cache.get(emulator.channel('read-only').id)!;
    expect(me.permissionsIn(readOnly).has(SendMessages)).toBe(false);
    expect(me.permissionsIn(readOnly).has(EmbedLinks)).toBe(true);
    expect(me.permissionsIn(emulator.channel('hidden').id).has(ViewChannel)).toBe(false);
    expect(me.permissionsIn(emulator.channel('bot-allowed').id).has(SendMessages)).toBe(true);
  });

  it('sends CHANNEL_UPDATE when the overwrites change', async () => {
    const general = emulator.channel('general').id;
    const updated = once(client, 'channelUpdate');
    emulator.setChannelOverwrites('general', [{ target: 'Emulated Bot', type: 'role', deny: SendMessages }]);
    await updated;

    const me = client.guilds.cache.get(emulator.guildId)!.members.me!;
    expect(me.permissionsIn(general).has(SendMessages)).toBe(false);
    expect(await codeOf(post('general', { content: 'x' }))).toBe(50013);
  });
});
