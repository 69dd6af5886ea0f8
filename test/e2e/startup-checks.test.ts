/**
 * Start-up checks end to end: the real bot on the Discord emulator and real containers says, one
 * warn line each, what an operator set up wrong (a channel it cannot post in, a role id that is no
 * role, a container without stdin open or none at all), and runs on.
 */
import { PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeDocker, readReceived, uniqueName } from '../support/docker.js';
import { useBotSuite } from '../support/suite.js';

interface Line {
  level: number;
  msg: string;
}
const WARN = 40;
const ABSENT_ROLE = '111111111111111111';
const ABSENT_CHANNEL = '222222222222222222';

describeDocker('start-up checks', () => {
  const lines: Line[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  );
  const absent = uniqueName('absent');
  const { h, server } = useBotSuite({
    servers: { lobby: { tty: true }, deaf: { tty: false, openStdin: false } },
    harness: { monitor: true, auditChannel: true, logger, containers: [absent] },
  });

  /** The warn lines of the last start-up's checks, once their summary is logged. */
  async function checkLines(): Promise<string[]> {
    await expect.poll(() => lines.some((l) => l.msg.startsWith('start-up checks'))).toBe(true);
    return lines.filter((l) => l.level === WARN && /^[A-Z_]+ |^rhb-test-/.test(l.msg)).map((l) => l.msg);
  }

  describe('a set-up whose Discord side is right', () => {
    it('names only the container that does not exist and the one without stdin open (by name, as Docker lists them)', async () => {
      expect(await checkLines()).toEqual([
        `HEADLESS_CONTAINERS ${absent}: no such container`,
        `${server.deaf.name}: the container does not keep stdin open, so the bot cannot type into its console (recreate it with stdin_open: true in compose, or docker run -i)`,
      ]);
      expect(lines.find((l) => l.msg.startsWith('start-up checks'))?.msg).toBe(
        'start-up checks: 2 problems (above); the bot runs on',
      );
    });

    it("prints the invite link to Discord's own page, with exactly the permissions the bot needs", () => {
      const line = lines.find((l) => l.msg.startsWith('invite link'));
      const url = new URL(line!.msg.slice(line!.msg.indexOf('https://')));
      expect(url.origin + url.pathname).toBe('https://discord.com/oauth2/authorize');
      expect(url.searchParams.get('client_id')).toBe(h.emulator.applicationId);
      expect(url.searchParams.get('guild_id')).toBe(h.emulator.guildId);
      expect(url.searchParams.get('scope')).toBe('bot applications.commands');
      expect(BigInt(url.searchParams.get('permissions')!)).toBe(
        PermissionFlagsBits.ViewChannel |
          PermissionFlagsBits.SendMessages |
          PermissionFlagsBits.EmbedLinks |
          PermissionFlagsBits.ReadMessageHistory,
      );
    });

    it('answers a console command for the container without stdin open by saying so, sending nothing', async () => {
      const { text, ephemeral } = await h.command('status', { server: server.deaf.name });

      expect(ephemeral).toBe(true);
      expect(text).toContain(
        `The container of "${server.deaf.name}" does not keep stdin open, so the bot cannot type into its console`,
      );
      expect(await readReceived(server.deaf.id)).toEqual([]);
    });
  });

  describe('channels the bot cannot use and role ids that are no role', () => {
    beforeAll(async () => {
      const botRole = h.emulator.botUser.username;
      h.emulator.setChannelOverwrites('status', [
        { target: botRole, type: 'role', deny: PermissionFlagsBits.SendMessages },
      ]);
      h.emulator.setChannelOverwrites('audit', [
        { target: '@everyone', type: 'role', deny: PermissionFlagsBits.ViewChannel },
      ]);
      lines.length = 0;
      await h.restartBot({
        ROLES_MODERATOR: ABSENT_ROLE,
        ALERT_CHANNEL_ID: ABSENT_CHANNEL,
        // A role that exists but nobody may mention: the ping would be dropped.
        ONCALL_ROLE_ID: h.role.viewer,
      });
    });

    it('says what is wrong with each, one line each', async () => {
      const { status, audit } = h.channel;
      expect(await checkLines()).toEqual([
        `STATUS_CHANNEL_ID ${status} (#status): the bot cannot post there (missing Send Messages)`,
        `ALERT_CHANNEL_ID ${ABSENT_CHANNEL}: no such channel in Emulated Guild (copy the channel's id again)`,
        `AUDIT_CHANNEL_ID ${audit} (#audit): the bot cannot see this channel (missing View Channel)`,
        `ROLES_MODERATOR ${ABSENT_ROLE}: no such role in Emulated Guild (copy the role's id again)`,
        `ONCALL_ROLE_ID ${h.role.viewer} (@viewer): alerts will not ping it, the role is not mentionable (turn on "Allow anyone to @mention this role" in its settings)`,
        `HEADLESS_CONTAINERS ${absent}: no such container`,
        `${server.deaf.name}: the container does not keep stdin open, so the bot cannot type into its console (recreate it with stdin_open: true in compose, or docker run -i)`,
      ]);
    });

    it('runs on: commands still answer', async () => {
      const { text } = await h.command('worlds', { server: server.lobby.name });

      expect(text).toContain('Lobby World');
    });

    it("says why the audit channel stays empty when a post there fails (Discord's words and code)", async () => {
      await h.command('save', { server: server.lobby.name });

      await expect
        .poll(
          () =>
            lines.find((l) => l.msg.startsWith('AUDIT_CHANNEL_ID') && l.msg.includes('could not post'))?.msg,
        )
        .toBe(`AUDIT_CHANNEL_ID ${h.channel.audit}: could not post the audit line (Missing Access, 50001)`);
    });
  });
});
