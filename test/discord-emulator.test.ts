import { once } from 'node:events';
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ApplicationCommandDataResolvable,
  type GuildMember,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  startDiscordEmulator,
  type DiscordEmulator,
  type RecordedBodyMultipart,
  type RequestRecord,
} from './discord-emulator/index.js';

const COMMANDS: ApplicationCommandDataResolvable[] = [
  {
    name: 'status',
    description: 'Show a world',
    options: [
      { name: 'server', description: 'Server', type: 3, required: true, autocomplete: true },
      { name: 'world', description: 'World', type: 3 },
    ],
  },
  {
    name: 'world',
    description: 'World settings',
    options: [
      {
        name: 'name',
        description: 'Rename',
        type: 1,
        options: [{ name: 'value', description: 'New name', type: 3, required: true }],
      },
      { name: 'close', description: 'Close', type: 1 },
    ],
  },
  { name: 'logs', description: 'Container logs' },
  { name: 'ping', description: 'Ping' },
  { name: 'ban', description: 'Ban', default_member_permissions: PermissionFlagsBits.BanMembers.toString() },
];

let emulator: DiscordEmulator;
let client: Client;
let general: TextChannel;
let bobId: string;

/** The next INTERACTION_CREATE goes to `fn`; resolves with its result (or its error). */
let nextHandler: ((interaction: Interaction) => Promise<void>) | null = null;
function handleNext<T>(fn: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    nextHandler = async (interaction) => {
      try {
        resolve(await fn(interaction));
      } catch (error) {
        reject(error as Error);
      }
    };
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const paths = (records: readonly RequestRecord[]) => records.map((r) => `${r.method} ${r.path} ${r.status}`);

beforeAll(async () => {
  emulator = await startDiscordEmulator({
    roles: [
      { name: 'Moderator', permissions: PermissionFlagsBits.KickMembers },
      { name: 'Admin', permissions: PermissionFlagsBits.Administrator },
    ],
    channels: [{ name: 'general' }, { name: 'status' }],
    members: [
      { username: 'alice', roles: ['Admin'] },
      { username: 'bob', roles: ['Moderator'] },
    ],
  });
  bobId = emulator.member('bob').user.id;
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: emulator.apiUrl },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    const handler = nextHandler;
    nextHandler = null;
    void handler?.(interaction);
  });
  const ready = once(client, Events.ClientReady);
  await client.login(emulator.token);
  await ready;
  general = client.channels.cache.get(emulator.channel('general').id) as TextChannel;
});

afterAll(async () => {
  await client?.destroy();
  await emulator?.close();
});

describe('discord emulator with the real discord.js client', () => {
  it('logs in: READY and GUILD_CREATE fill the guild, role, channel and member caches', async () => {
    const guild = client.guilds.cache.get(emulator.guildId);
    expect(guild?.name).toBe('Emulated Guild');
    expect(guild?.ownerId).toBe(emulator.member('alice').user.id);
    expect(guild?.roles.cache.map((r) => r.name).sort()).toEqual([
      '@everyone',
      'Admin',
      'Emulated Bot',
      'Moderator',
    ]);
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['general', 'status']);
    expect(client.user?.id).toBe(emulator.applicationId);
    // Without the GuildMembers intent Discord sends only the bot's own member; others come by REST.
    expect(guild?.members.cache.has(emulator.applicationId)).toBe(true);
    const bob = await guild!.members.fetch(bobId);
    expect(bob.roles.cache.has(emulator.role('Moderator').id)).toBe(true);
    expect(emulator.findRequests({ method: 'GET', path: '/gateway/bot' })).toHaveLength(1);
  });

  it('registers guild commands by bulk overwrite, keeping ids, and refuses what Discord refuses', async () => {
    const first = await client.application!.commands.set(COMMANDS, emulator.guildId);
    expect(
      emulator.findRequests({
        method: 'PUT',
        path: `/applications/${emulator.applicationId}/guilds/${emulator.guildId}/commands`,
      }),
    ).toHaveLength(1);
    expect(emulator.commands().map((c) => c.name)).toEqual(['status', 'world', 'logs', 'ping', 'ban']);
    const again = await client.application!.commands.set(COMMANDS, emulator.guildId);
    expect(again.map((c) => c.id).sort()).toEqual(first.map((c) => c.id).sort());

    const bad = await rejection(
      client.application!.commands.set([{ name: 'Status', description: 'x' }], emulator.guildId),
    );
    expect(bad).toBeInstanceOf(DiscordAPIError);
    expect((bad as DiscordAPIError).code).toBe(50035);
    expect((bad as DiscordAPIError).message).toContain('0.name[APPLICATION_COMMAND_INVALID_NAME]');

    const duplicate = await rejection(
      client.application!.commands.set(
        [
          {
            name: 'x',
            description: 'x',
            options: [
              { name: 'a', description: 'a', type: 3 },
              { name: 'a', description: 'b', type: 3 },
            ],
          },
        ],
        emulator.guildId,
      ),
    );
    expect((duplicate as DiscordAPIError).message).toContain('0.options[1].name');
    expect(emulator.commands()).toHaveLength(COMMANDS.length);
  });

  it('refuses to send a command that is not registered, or hidden by default_member_permissions', () => {
    expect(() => emulator.sendCommand({ name: 'nope', member: bobId })).toThrow(/\/nope is not registered/);
    expect(() => emulator.sendCommand({ name: 'ban', member: bobId })).toThrow(/default_member_permissions/);
    expect(() => emulator.sendCommand({ name: 'status', member: bobId })).toThrow(/required option "server"/);
  });

  it('chat command: deferred, then edited with an embed', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await interaction.deferReply();
      const server = interaction.options.getString('server', true);
      const isModerator =
        interaction.inCachedGuild() && interaction.member.roles.cache.has(emulator.role('Moderator').id);
      await interaction.editReply({
        embeds: [
          new EmbedBuilder().setTitle(`Status of ${server}`).setDescription(`moderator: ${isModerator}`),
        ],
      });
    });
    const handle = emulator.sendCommand({
      name: 'status',
      options: [{ name: 'server', value: 'lobby' }],
      member: bobId,
    });
    await handled;

    const reply = await handle.waitForReply();
    expect(reply.embeds[0]).toMatchObject({
      title: 'Status of lobby',
      description: 'moderator: true',
      type: 'rich',
    });
    expect(handle.original()?.embeds[0]?.title).toBe('Status of lobby');
    const [callback] = handle.callbacks;
    expect(callback).toMatchObject({ status: 204, query: { with_response: 'false' }, body: { type: 5 } });
    const edit = emulator.findRequests({
      method: 'PATCH',
      path: `/webhooks/${emulator.applicationId}/${handle.token}/messages/@original`,
    });
    expect(edit).toHaveLength(1);
    expect(edit[0]!.at - handle.dispatchedAt).toBeLessThan(3000);
    // Non-ephemeral: the reply is a channel message like any other.
    expect(emulator.getMessage(emulator.channel('general').id, reply.id)?.embeds[0]?.title).toBe(
      'Status of lobby',
    );
  });

  it('subcommands arrive with their nested options', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      const answer = `${interaction.options.getSubcommand()}=${interaction.options.getString('value')}`;
      await interaction.reply({ content: answer });
    });
    const handle = emulator.sendCommand({
      name: 'world',
      options: [{ name: 'name', options: [{ name: 'value', value: 'Lobby 2' }] }],
      member: bobId,
    });
    await handled;
    expect((await handle.waitForReply()).content).toBe('name=Lobby 2');
  });

  it('withResponse: the callback answers with the interaction and the created message', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      const response = await interaction.reply({ content: 'pong', withResponse: true });
      return { id: response.interaction.responseMessageId, content: response.resource?.message?.content };
    });
    const handle = emulator.sendCommand({ name: 'ping', member: bobId });
    const result = await handled;
    expect(handle.callbacks[0]).toMatchObject({ status: 200, query: { with_response: 'true' } });
    expect(result).toEqual({ id: handle.original()?.id, content: 'pong' });
  });

  it('ephemeral replies stay off the channel; fetchReply and deleteReply use @original', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await interaction.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
      const fetched = await interaction.fetchReply();
      expect(fetched.content).toBe('only you');
      return fetched.id;
    });
    const handle = emulator.sendCommand({ name: 'ping', member: bobId });
    const id = await handled;
    expect((handle.original()?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(emulator.channelMessages(general.id).map((m) => m.id)).not.toContain(id);
    const hidden = await rejection(general.messages.fetch({ message: id, force: true }));
    expect((hidden as DiscordAPIError).code).toBe(10008);

    const deleted = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await interaction.reply({ content: 'gone soon' });
      await interaction.deleteReply();
    });
    const second = emulator.sendCommand({ name: 'ping', member: bobId });
    await deleted;
    expect(second.original()).toBeNull();
    expect(emulator.findRequests({ method: 'DELETE', path: /messages\/@original$/ })).toHaveLength(1);
  });

  it('autocomplete: 25 choices are accepted, 26 are refused', async () => {
    const choices = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `server ${i}`, value: `s${i}` }));
    const ok = handleNext(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      expect(interaction.options.getFocused(true)).toMatchObject({ name: 'server', value: 'lo' });
      await interaction.respond(choices(25));
    });
    const first = emulator.sendAutocomplete({
      name: 'status',
      options: [{ name: 'server', value: 'lo', focused: true }],
      member: bobId,
    });
    await ok;
    expect(await first.waitForChoices()).toHaveLength(25);

    const refused = handleNext(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected autocomplete');
      await interaction.respond(choices(26));
    });
    const second = emulator.sendAutocomplete({
      name: 'status',
      options: [{ name: 'server', value: '', focused: true }],
      member: bobId,
    });
    const error = await rejection(refused);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).message).toContain('data.choices[BASE_TYPE_MAX_LENGTH]');
    await expect(second.waitForChoices()).rejects.toThrow(/refused \(400\)/);
  });

  it('a button press answered with update edits the message the button is on', async () => {
    const posted = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('confirm').setLabel('Confirm').setStyle(ButtonStyle.Danger),
        new ButtonBuilder().setCustomId('cancel').setLabel('Cancel').setStyle(ButtonStyle.Secondary),
      );
      await interaction.reply({ content: 'Restart lobby?', components: [row] });
    });
    const command = emulator.sendCommand({ name: 'ping', member: bobId });
    await posted;
    const question = await command.waitForReply();
    expect(() => emulator.pressButton({ customId: 'nope', messageId: question.id, member: bobId })).toThrow(
      /has: confirm, cancel/,
    );

    const updated = handleNext(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      expect(interaction.message.id).toBe(question.id);
      await interaction.update({ content: `Confirmed by ${interaction.user.username}`, components: [] });
    });
    const press = emulator.pressButton({ customId: 'confirm', messageId: question.id, member: bobId });
    await updated;
    expect(await press.waitForCallback()).toMatchObject({ status: 204, body: { type: 7 } });
    const after = await press.waitForReply();
    expect(after).toMatchObject({ id: question.id, content: 'Confirmed by bob', components: [] });
    expect(emulator.getMessage(question.channel_id, question.id)?.content).toBe('Confirmed by bob');
  });

  it('a reply with a file is multipart: recorded with its contents and downloadable', async () => {
    const text = 'line 1\nline 2\n';
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await interaction.reply({
        content: 'logs',
        files: [new AttachmentBuilder(Buffer.from(text), { name: 'lobby.log' })],
      });
    });
    const handle = emulator.sendCommand({ name: 'logs', member: bobId });
    await handled;
    const callback = await handle.waitForCallback();
    const body = callback.body as RecordedBodyMultipart;
    expect(body.payload).toMatchObject({ type: 4, data: { content: 'logs' } });
    expect(body.files.map((f) => [f.name, f.data.toString()])).toEqual([['lobby.log', text]]);

    const reply = await handle.waitForReply();
    expect(reply.attachments[0]).toMatchObject({ filename: 'lobby.log', size: text.length });
    expect(reply.files[0]?.data.toString()).toBe(text);
    const download = await fetch(reply.attachments[0]!.url);
    expect(await download.text()).toBe(text);
  });

  it('a second initial response is refused with 40060', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await interaction.reply({ content: 'one' });
      // discord.js itself refuses a second reply() locally, so go to REST as a buggy bot would.
      return rejection(
        client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: 4, data: { content: 'two' } },
          auth: false,
        }),
      );
    });
    emulator.sendCommand({ name: 'ping', member: bobId });
    const error = await handled;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(40060);
  });

  it('a first callback after the deadline gets Unknown interaction (10062)', async () => {
    let expired: Promise<void> = Promise.resolve();
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await expired;
      return rejection(interaction.deferReply());
    });
    expired = emulator.sendCommand({ name: 'ping', member: bobId, deadlineMs: 50 }).expired;
    const error = await handled;
    expect((error as DiscordAPIError).code).toBe(10062);
  });

  it('message limits are enforced with an error naming the field', async () => {
    const embed = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      // Plain objects: EmbedBuilder would refuse this before it reached the API.
      return rejection(
        interaction.reply({
          embeds: [{ title: 't'.repeat(257), fields: [{ name: 'n', value: 'v'.repeat(1025) }] }],
        }),
      );
    });
    emulator.sendCommand({ name: 'ping', member: bobId });
    const error = (await embed) as DiscordAPIError;
    expect(error.code).toBe(50035);
    expect(error.message).toContain('data.embeds[0].title[BASE_TYPE_MAX_LENGTH]');
    expect(error.message).toContain('data.embeds[0].fields[0].value[BASE_TYPE_MAX_LENGTH]');

    const content = await rejection(general.send({ content: 'x'.repeat(2001) }));
    expect((content as DiscordAPIError).message).toContain(
      'content[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.',
    );
    const total = await rejection(
      general.send({ embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] }),
    );
    expect((total as DiscordAPIError).message).toContain('embeds[MAX_EMBED_SIZE_EXCEEDED]');
  });

  it('follow-ups: the first after a deferral replaces the thinking message, later ones are new', async () => {
    const handled = handleNext(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a chat command');
      await interaction.deferReply();
      await interaction.followUp({ content: 'first' });
      await interaction.followUp({ content: 'second' });
    });
    const handle = emulator.sendCommand({ name: 'ping', member: bobId });
    await handled;
    expect((await handle.waitForReply()).content).toBe('first');
    expect(handle.followUps().map((m) => m.content)).toEqual(['second']);
  });

  it('mentions follow allowed_mentions, so user text can be kept from pinging', async () => {
    const pinging = await general.send({ content: `hello <@${bobId}>` });
    const silent = await general.send({
      content: `hello <@${bobId}> @everyone`,
      allowedMentions: { parse: [] },
    });
    expect(emulator.getMessage(general.id, pinging.id)?.mentions.map((u) => u.id)).toEqual([bobId]);
    expect(emulator.getMessage(general.id, silent.id)).toMatchObject({
      mentions: [],
      mention_everyone: false,
    });
  });

  it('channel message: sent, edited, deleted out of band, then the next edit fails with 10008', async () => {
    const board = await general.send({ content: 'board v1' });
    expect(emulator.channelMessages(general.id).map((m) => m.content)).toContain('board v1');
    await board.edit({ content: 'board v2' });
    expect(emulator.getMessage(general.id, board.id)?.content).toBe('board v2');
    expect(emulator.getMessage(general.id, board.id)?.edited_timestamp).not.toBeNull();

    const deleted = once(client, Events.MessageDelete) as Promise<[Message]>;
    expect(emulator.deleteMessage(general.id, board.id)).toBe(true);
    expect((await deleted)[0].id).toBe(board.id);
    const error = await rejection(board.edit({ content: 'board v3' }));
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(10008);
    expect((error as DiscordAPIError).status).toBe(404);
  });

  it('a 500 injected once on an edit is retried by discord.js and succeeds; four in a row surface', async () => {
    const board = await general.send({ content: 'v1' });
    const path = `/channels/${general.id}/messages/${board.id}`;
    const fault = emulator.failNext({ method: 'PATCH', path, status: 500 });
    const since = emulator.requests.length;
    await board.edit({ content: 'v2' });
    expect(fault.hits).toHaveLength(1);
    expect(paths(emulator.requests.slice(since))).toEqual([`PATCH ${path} 500`, `PATCH ${path} 200`]);
    expect(emulator.getMessage(general.id, board.id)?.content).toBe('v2');

    emulator.failNext({ method: 'PATCH', path, status: 502, count: 4 });
    const error = await rejection(board.edit({ content: 'v3' }));
    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).status).toBe(502);
  });

  it('a 429 injected once is waited out and retried by discord.js itself', async () => {
    const fault = emulator.failNext({
      method: 'POST',
      path: `/channels/${general.id}/messages`,
      status: 429,
      retryAfter: 0.05,
    });
    const since = emulator.requests.length;
    const message = await general.send({ content: 'after the rate limit' });
    expect(fault.hits).toHaveLength(1);
    expect(fault.hits[0]?.response).toMatchObject({ retry_after: 0.05 });
    expect(paths(emulator.requests.slice(since)).map((p) => p.split(' ').pop())).toEqual(['429', '200']);
    expect(emulator.getMessage(general.id, message.id)?.content).toBe('after the rate limit');
  });

  it('unknown routes answer 404 and are recorded', async () => {
    const error = await rejection(client.rest.get(Routes.guildBans(emulator.guildId)));
    expect((error as DiscordAPIError).status).toBe(404);
    expect(emulator.unknownRequests.map((r) => r.path)).toContain(`/guilds/${emulator.guildId}/bans`);
  });

  it('waitForRequest is event-driven and can look back from a mark', async () => {
    const mark = emulator.requests.length;
    const waiting = emulator.waitForRequest({ method: 'POST', path: /\/messages$/ }, 2000);
    await general.send({ content: 'watched' });
    expect((await waiting).body).toMatchObject({ content: 'watched' });
    const lookedBack = await emulator.waitForRequest((r) => r.method === 'POST', 100, mark);
    expect(lookedBack.index).toBeGreaterThanOrEqual(mark);
    await expect(emulator.waitForRequest(() => false, 20)).rejects.toThrow(/the last requests were/);
  });

  it('a dropped gateway connection resumes and replays the events it missed', async () => {
    const board = await general.send({ content: 'resume me' });
    const resumed = once(client, Events.ShardResume);
    const deleted = once(client, Events.MessageDelete) as Promise<[Message]>;
    const closed = emulator.waitForGateway('close');
    emulator.dropGatewayConnections();
    await closed;
    emulator.deleteMessage(general.id, board.id);
    const [, replayed] = (await resumed) as [number, number];
    expect(replayed).toBeGreaterThanOrEqual(1);
    expect((await deleted)[0].id).toBe(board.id);
    expect(emulator.gatewayConnected).toBe(true);

    // Op 7 (Discord asking the client to reconnect) also ends in a resume.
    const again = once(client, Events.ShardResume);
    emulator.requestReconnect();
    await again;
    expect(emulator.gatewayConnected).toBe(true);
  });

  it('a bad token is refused: REST 401 makes login reject, IDENTIFY closes with 4004', async () => {
    const other = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
    const error = await rejection(other.login('bad.token.value'));
    expect((error as { code?: string }).code).toBe('TokenInvalid');
    expect(emulator.requests.at(-1)).toMatchObject({ path: '/gateway/bot', status: 401 });

    const socket = new WebSocket(`${emulator.wsUrl}/?v=10&encoding=json`);
    const frames: { op: number }[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as { op: number }));
    await once(socket, 'message');
    socket.send(JSON.stringify({ op: 1, d: null }));
    await once(socket, 'message');
    expect(frames.map((f) => f.op)).toEqual([10, 11]); // HELLO, then the heartbeat ACK
    socket.send(JSON.stringify({ op: 2, d: { token: 'bad.token.value', intents: 1, properties: {} } }));
    const [code] = (await once(socket, 'close')) as [number];
    expect(code).toBe(4004);
  });

  it('with the GuildMembers intent every member is cached, and member changes are dispatched', async () => {
    const other = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
      rest: { api: emulator.apiUrl },
    });
    try {
      const ready = once(other, Events.ClientReady);
      await other.login(emulator.token);
      await ready;
      const guild = other.guilds.cache.get(emulator.guildId)!;
      expect(guild.members.cache.map((m) => m.user.username).sort()).toEqual([
        'Emulated Bot',
        'alice',
        'bob',
      ]);

      const joined = once(other, Events.GuildMemberAdd);
      const carol = emulator.addMember({ username: 'carol' });
      expect(((await joined) as [GuildMember])[0].id).toBe(carol.user.id);
      const updated = once(other, Events.GuildMemberUpdate);
      emulator.setMemberRoles('carol', ['Moderator']);
      const [, after] = (await updated) as [GuildMember, GuildMember];
      expect(after.roles.cache.map((r) => r.name)).toContain('Moderator');
    } finally {
      await other.destroy();
    }
  });

  it('the emulator itself raised no internal errors', () => {
    expect(emulator.internalErrors).toEqual([]);
  });
});
