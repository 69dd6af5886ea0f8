import type { CommandCall, CommandDefinition, CommandReply } from '../src/discord/command.js';
import { textOption, serverOption } from '../src/discord/options.js';
import { validateRawConsoleLine, MAX_LINE_LENGTH } from '../src/console/quoting.js';
import { maskConsoleSecrets, maskConsoleSecretsInText } from '../src/console/secrets.js';
import { textReply } from '../src/discord/text-reply.js';

export const definition = {
  name: 'console',
  description: 'Send one raw console line (crash and log are refused) and show the output',
  level: 'admin',
  ephemeral: true,
  options: [textOption('command', 'The console line, e.g. users', MAX_LINE_LENGTH), serverOption()],
} as const satisfies CommandDefinition;

export async function execute(call: CommandCall<typeof definition>): Promise<CommandReply> {
  const { command, line } = validateRawConsoleLine(call.options.command);
  const server = await call.server();
  if (command === 'shutdown') {
    server.container.checkIdle();
    await call.confirm(
      `Shut down ${server.displayName}?`,
      'The headless exits without saving its worlds, and stays stopped until someone starts it.',
    );
  }
  call.record({ action: line });
  const result = await server.raw(line, call.actor);
  // A login's password is never shown back, not even to the admin who typed it.
  return textReply(
    `${server.displayName}> ${maskConsoleSecrets(line)}`,
    maskConsoleSecretsInText(result.reply),
    `${server.name}-console.txt`,
  );
}
