#!/usr/bin/env node
import dotenv from 'dotenv';
import { ConfigError, DockerUnreachableError } from './errors.js';
import { runCli } from './cli/run-cli.js';

dotenv.config({ quiet: true });

const io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t) };
try {
  process.exitCode = await runCli(process.argv.slice(2), process.env, io);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DockerUnreachableError) {
    io.err(err.message);
    process.exitCode = 1;
  } else {
    io.err(`Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 3;
  }
}
