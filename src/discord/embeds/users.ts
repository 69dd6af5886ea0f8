import { EmbedBuilder } from 'discord.js';
import type { WorldUser } from '../../console/parsers.js';
import type { WorldUsers } from '../../servers/headless-server.js';
import { COLOURS } from './colours.js';
import { truncate } from '../../text.js';
import { EMBED_LIMITS, inlineText, listWithMore, shareBudget } from './limits.js';

const WORLD_NAME_MAX = 100;
const USER_NAME_MAX = 64;

/**
 * One field per world listing its users; past 25 worlds the last field names the rest. The
 * 6000-character total is shared so busy worlds get the room quiet ones leave.
 */
export function usersEmbed(server: string, groups: readonly WorldUsers[]): EmbedBuilder {
  const embed = new EmbedBuilder().setTitle(`Users on ${inlineText(server, 100)}`).setColor(COLOURS.info);
  if (groups.length === 0) return embed.setDescription('No worlds are running.');

  const userCount = groups.reduce((sum, group) => sum + group.users.length, 0);
  const footer = `${userCount} ${userCount === 1 ? 'user' : 'users'} in ${groups.length} ${groups.length === 1 ? 'world' : 'worlds'}`;
  const listed = groups.length > EMBED_LIMITS.fields ? groups.slice(0, EMBED_LIMITS.fields - 1) : groups;
  const rest = groups.slice(listed.length);

  const parts = listed.map((group) => ({
    name: worldHeading(group),
    value: (max: number) => userList(group.users, max),
  }));
  if (rest.length > 0) {
    const names = rest.map(
      (group) => `${inlineText(group.world.name, USER_NAME_MAX)} (${group.users.length})`,
    );
    parts.push({
      name: `+${rest.length} more worlds`,
      value: (max) => listWithMore(names, max) || `+${rest.length}`,
    });
  }
  const fixed =
    (embed.data.title ?? '').length + footer.length + parts.reduce((sum, p) => sum + p.name.length, 0);
  const wants = parts.map((part) => Math.min(EMBED_LIMITS.fieldValue, part.value(Infinity).length));
  const shares = shareBudget(EMBED_LIMITS.total - fixed, wants);
  return embed
    .addFields(parts.map((part, i) => ({ name: part.name, value: part.value(shares[i] ?? 0) })))
    .setFooter({ text: footer });
}

function worldHeading(group: WorldUsers): string {
  const name = inlineText(group.world.name, WORLD_NAME_MAX) || '(unnamed)';
  const count = group.users.length;
  return truncate(`${name} — ${count} ${count === 1 ? 'user' : 'users'}`, EMBED_LIMITS.fieldName);
}

function userList(users: readonly WorldUser[], max: number): string {
  if (users.length === 0) return 'No users';
  return listWithMore(users.map(userLine), max, '\n') || `+${users.length} users`;
}

function userLine(user: WorldUser): string {
  const parts = [
    `**${inlineText(user.name, USER_NAME_MAX) || '(no name)'}**`,
    inlineText(user.role, 20),
    user.present ? 'present' : 'away',
    `${user.ping} ms`,
  ];
  if (user.silenced) parts.push('🔇 silenced');
  return parts.join(' · ');
}
