/**
 * The bot does not load ssh2 or gRPC until something needs them (about 25 MB of idle memory), and
 * an `ssh://` DOCKER_HOST still gets the real ssh client when it connects. Run in a fresh process:
 * the test runner's own module cache may already hold both.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBot } from '../support/build.js';

const run = promisify(execFile);
let dist: string;

async function probe(script: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('modules loaded on first use', () => {
  beforeAll(async () => {
    dist = await buildBot();
  }, 120_000);

  it('keeps ssh2 and gRPC out of memory after the Docker connection module is imported', async () => {
    const loaded = await probe(`
      import { createRequire } from 'node:module';
      await import(${JSON.stringify(join(dist, 'src', 'docker', 'connection.js'))});
      const require = createRequire(${JSON.stringify(join(dist, 'src', 'docker', 'connection.js'))});
      const inCache = (id) => Object.keys(require.cache).some((p) => p.includes('/node_modules/' + id + '/'));
      console.log(JSON.stringify({ ssh2: inCache('ssh2'), grpc: inCache('@grpc/grpc-js'), dockerode: inCache('dockerode') }));
    `);
    expect(loaded).toEqual({ ssh2: false, grpc: false, dockerode: true });
  });

  it('loads the real ssh client when an ssh:// host is used', async () => {
    const result = await probe(`
      const { connectDocker } = await import(${JSON.stringify(join(dist, 'src', 'docker', 'connection.js'))});
      // Port 1 on loopback: nothing listens, so the ssh client's own connection error comes back.
      const outcome = await connectDocker({ host: 'ssh://nobody@127.0.0.1:1', tlsVerify: false }).then(
        () => 'connected',
        (err) => err.message,
      );
      console.log(JSON.stringify({ outcome }));
    `);
    expect(String(result.outcome)).toMatch(/ECONNREFUSED|refused/i);
  });
});
