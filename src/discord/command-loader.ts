import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { LEVELS } from '../config.js';
import type { CommandModule } from './command.js';

/** The top-level `commands/` folder, from src/discord (sources) or dist/src/discord (build). */
export const COMMANDS_DIR = fileURLToPath(new URL('../../commands/', import.meta.url));

const NAME = /^[a-z0-9_-]{1,32}$/;

/** Imports every command file in the folder and checks each module's shape; one error lists every problem. */
export async function loadCommands(dir = COMMANDS_DIR): Promise<Map<string, CommandModule>> {
  const files = (await readdir(dir)).filter((f) => /\.(js|ts)$/.test(f) && !/\.(d|test)\.ts$/.test(f)).sort();
  const commands = new Map<string, CommandModule>();
  const problems: string[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Partial<CommandModule>;
    const problem = checkModule(module);
    if (problem) problems.push(`${file}: ${problem}`);
    else if (commands.has(module.definition!.name))
      problems.push(`${file}: duplicate name ${module.definition!.name}`);
    else commands.set(module.definition!.name, module as CommandModule);
  }
  if (problems.length > 0) throw new Error(`Invalid command modules:\n  ${problems.join('\n  ')}`);
  return commands;
}

function checkModule(module: Partial<CommandModule>): string | undefined {
  const d = module.definition;
  if (!d || typeof d !== 'object') return 'exports no definition object';
  if (typeof d.name !== 'string' || !NAME.test(d.name)) return `bad name ${JSON.stringify(d.name)}`;
  if (typeof d.description !== 'string' || d.description.length < 1 || d.description.length > 100) {
    return 'description must be 1 to 100 characters';
  }
  if (!LEVELS.includes(d.level)) return `bad level ${JSON.stringify(d.level)}`;
  if (typeof module.execute !== 'function') return 'exports no execute function';
  return undefined;
}
