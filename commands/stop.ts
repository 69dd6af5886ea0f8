import { lifecycleCommand } from '../src/discord/lifecycle-command.js';

export const { definition, execute } = lifecycleCommand('stop');
