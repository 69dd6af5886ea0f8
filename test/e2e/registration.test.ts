/** Guild command registration end to end: registered on first start, again only when the definitions change. */
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { startBot } from '../../src/bot.js';
import { loadBotConfig } from '../../src/config.js';
import type { CommandModule } from '../../src/discord/command.js';
import { loadCommands } from '../../src/discord/command-loader.js';
import { REGISTRATION_KEY } from '../../src/discord/registration.js';
import { KeyValueStore, openDatabase } from '../../src/storage/database.js';
import { TOKEN } from '../support/bot.js';
import { describeDocker, docker } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

describeDocker('command registration end to end', () => {
  const { h, server } = useBotSuite({ servers: { lobby: { tty: true } } });
  const { lobby } = server;

  const puts = () =>
    h.emulator.findRequests({
      method: 'PUT',
      path: `/applications/${h.emulator.applicationId}/guilds/${h.emulator.guildId}/commands`,
    });

  /** Changes the stored registration hash out of band, as a bot with other definitions would have left it. */
  function withStore(work: (store: KeyValueStore) => void): void {
    const db = openDatabase(h.dataDir);
    try {
      work(new KeyValueStore(db));
    } finally {
      db.close();
    }
  }

  it('registers every command, guild-only, on first start', () => {
    expect(h.bot.registration).toBe('registered');
    const [put, ...more] = puts();
    expect(more).toEqual([]);
    expect(put?.status).toBe(200);
    const names = (put?.body as Array<{ name: string; contexts: number[] }>).map((c) => c.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    expect(names).toEqual(
      expect.arrayContaining(['servers', 'status', 'save', 'logs', 'bans', 'stop', 'restart', 'start']),
    );
    expect(
      h.emulator
        .commands('guild')
        .map((c) => c.name)
        .sort(),
    ).toEqual([...names].sort());
    expect(h.emulator.findRequests({ method: 'PUT', path: /^\/applications\/\d+\/commands$/ })).toEqual([]);
  });

  it('does not register again when nothing changed', async () => {
    const before = puts().length;
    expect((await h.restartBot()).registration).toBe('unchanged');
    expect((await h.restartBot()).registration).toBe('unchanged');
    expect(puts()).toHaveLength(before);
  });

  it('registers again when the stored definitions differ (hash row deleted)', async () => {
    const before = puts().length;
    withStore((store) => store.delete(REGISTRATION_KEY));
    expect((await h.restartBot()).registration).toBe('registered');
    expect(puts()).toHaveLength(before + 1);
    // ...and only once.
    expect((await h.restartBot()).registration).toBe('unchanged');
    expect(puts()).toHaveLength(before + 1);
  });

  it('registers again when the stored hash is of another definition set', async () => {
    const before = puts().length;
    let previous: string | undefined;
    withStore((store) => {
      previous = store.get(REGISTRATION_KEY);
      store.set(REGISTRATION_KEY, 'hash-of-an-older-command-set');
    });
    expect(previous).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.restartBot()).registration).toBe('registered');
    expect(puts()).toHaveLength(before + 1);
    withStore((store) => expect(store.get(REGISTRATION_KEY)).toBe(previous));
    // The commands still answer after the re-registration.
    const r = await h.command('worlds', {}, h.member.viewer);
    expect(r.text).toContain('Lobby World');
  });

  it('registers again after another version of the bot registered other definitions', async () => {
    // A second bot on the same data folder, with one command dropped and one described differently,
    // as an older or newer release would be.
    const full = await loadCommands();
    const other = new Map<string, CommandModule>(
      [...full]
        .filter(([name]) => name !== 'console')
        .map(([name, module]) => [
          name,
          name === 'servers'
            ? { ...module, definition: { ...module.definition, description: 'Every server (old text)' } }
            : module,
        ]),
    );
    const config = loadBotConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_CLIENT_ID: h.emulator.applicationId,
      DISCORD_GUILD_ID: h.emulator.guildId,
      DISCORD_API_URL: h.emulator.apiUrl,
      HEADLESS_CONTAINERS: lobby.name,
      DATA_DIR: h.dataDir,
      LOG_LEVEL: 'silent',
    });
    const before = puts().length;
    const older = await startBot({ config, logger: pino({ level: 'silent' }), docker, commands: other });
    try {
      expect(older.registration).toBe('registered');
    } finally {
      await older.stop();
    }
    expect(puts()).toHaveLength(before + 1);
    expect(h.emulator.commands('guild').map((c) => c.name)).not.toContain('console');

    expect((await h.restartBot()).registration).toBe('registered');
    expect(puts()).toHaveLength(before + 2);
    const registered = h.emulator.commands('guild');
    expect(registered.map((c) => c.name).sort()).toEqual([...full.keys()].sort());
    expect(registered.find((c) => c.name === 'servers')?.description).toBe(
      full.get('servers')?.definition.description,
    );
    expect((await h.restartBot()).registration).toBe('unchanged');
    expect(puts()).toHaveLength(before + 2);
  });
});
