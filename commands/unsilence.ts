import { userActionCommand } from '../src/discord/user-action-command.js';

export const { definition, execute } = userActionCommand(
  'unsilence',
  'Let a silenced user speak again',
  'unsilenced',
);
