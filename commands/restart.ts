import { restartCommand } from '../src/discord/lifecycle-command.js';

export const { definition, execute } = restartCommand();
