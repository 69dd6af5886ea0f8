/**
 * The project's Dockerfile, built and run as an operator runs it: given only the socket's group
 * (here through a socket relay the test can cut) and a /data volume, on the host network to reach
 * the local Discord emulator. It answers /status about a fake headless, turns healthy, turns
 * unhealthy when cut off from Docker or Discord for longer than its grace, runs as a non-root user,
 * and exits 0 on SIGTERM within 2 s.
 */
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BOT_IMAGE, buildBotImage } from '../support/image.js';
import { DockerProxy } from '../support/docker-proxy.js';
import {
  FAKE_DEFAULT_WORLDS,
  describeDocker,
  docker,
  removeContainers,
  startFakeHeadless,
  uniqueName,
  type StartedContainer,
} from '../support/docker.js';
import { startDiscord, stopProcessesAndDiscords, type Discord } from '../process/process-support.js';

const SOCKET_DIR = '/run/docker-relay';
const GRACE_SECONDS = 3;
const SECOND_NS = 1_000_000_000;
const HEALTH_WAIT_MS = 60_000;
const TEST_MS = 90_000;

describeDocker('the bot image', () => {
  // The relay's socket belongs to root's group; the bot's user gets that group, and nothing more.
  const proxy = new DockerProxy('/var/run/docker.sock', 0o660);
  const name = uniqueName('bot-image');
  const volume = uniqueName('bot-data');
  let fake: StartedContainer;
  let discord: Discord;

  const bot = () => docker.getContainer(name);
  const health = async () => (await bot().inspect()).State.Health?.Status;

  beforeAll(async () => {
    const [image] = await Promise.all([
      buildBotImage(),
      proxy.up(),
      startFakeHeadless({ tty: true }).then((started) => (fake = started)),
      startDiscord().then((started) => (discord = started)),
    ]);
    await docker.createVolume({ Name: volume });
    const container = await docker.createContainer({
      name,
      Image: image,
      Env: Object.entries({
        ...discord.env,
        HEADLESS_CONTAINERS: fake.name,
        DOCKER_HOST: `unix://${SOCKET_DIR}/docker.sock`,
        HEALTH_GRACE_SECONDS: String(GRACE_SECONDS),
        LOG_LEVEL: 'info',
      }).map(([key, value]) => `${key}=${value}`),
      // Checked every second here (15 s in the image) so the test need not wait minutes.
      Healthcheck: { Interval: SECOND_NS, Timeout: 5 * SECOND_NS, StartPeriod: 1_000_000, Retries: 1 },
      HostConfig: {
        NetworkMode: 'host',
        GroupAdd: ['0'],
        Binds: [`${dirname(proxy.socketPath)}:${SOCKET_DIR}`, `${volume}:/data`],
      },
    });
    await container.start();
  }, 20 * 60_000);

  afterAll(async () => {
    await removeContainers([name, fake?.name].filter((n): n is string => n !== undefined));
    await docker
      .getVolume(volume)
      .remove()
      .catch(() => undefined);
    await proxy.down();
    await stopProcessesAndDiscords();
  }, 60_000);

  it(
    'turns healthy once connected, runs as the non-root node user, and keeps its data in /data',
    async () => {
      await expect.poll(health, { timeout: HEALTH_WAIT_MS, interval: 500 }).toBe('healthy');
      const info = await bot().inspect();
      expect(info.Config.User).toBe('node');
      const top = await bot().top({ ps_args: '-o pid,uid,comm' });
      const uids = top.Processes.map((row: string[]) => row[1]);
      expect(uids.length).toBeGreaterThan(0);
      expect(uids.every((uid: string) => uid === '1000')).toBe(true);
      const { Mountpoint } = await docker.getVolume(volume).inspect();
      const { statSync } = await import('node:fs');
      expect(statSync(`${Mountpoint}/bot.sqlite`).uid).toBe(1000);
    },
    TEST_MS,
  );

  it('has fonts for the /graph charts to draw their text with', async () => {
    const container = await docker.createContainer({
      Image: BOT_IMAGE,
      Cmd: ['node', '-e', "import('@napi-rs/canvas').then(c => console.log(c.GlobalFonts.families.length))"],
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      await container.start();
      await container.wait();
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(Number(/(\d+)\s*$/.exec(logs)?.[1])).toBeGreaterThan(0);
    } finally {
      await container.remove({ force: true });
    }
  });

  it('answers /status about the fake headless', async () => {
    const reply = await discord.command('status', discord.admin);
    expect(reply.text).toContain(FAKE_DEFAULT_WORLDS[0]);
  });

  it(
    'turns unhealthy when cut off from Docker for longer than its grace, and healthy once Docker is back',
    async () => {
      await proxy.down();
      await expect.poll(health, { timeout: HEALTH_WAIT_MS, interval: 500 }).toBe('unhealthy');
      const log = (await bot().inspect()).State.Health?.Log?.at(-1)?.Output ?? '';
      expect(log).toContain('Docker unreachable for');
      await proxy.up();
      await expect.poll(health, { timeout: HEALTH_WAIT_MS, interval: 500 }).toBe('healthy');
    },
    TEST_MS,
  );

  it(
    'turns unhealthy when cut off from Discord, and still exits 0 within 2 s of SIGTERM',
    async () => {
      await discord.emulator.close();
      await expect.poll(health, { timeout: HEALTH_WAIT_MS, interval: 500 }).toBe('unhealthy');
      expect((await bot().inspect()).State.Health?.Log?.at(-1)?.Output ?? '').toContain(
        'Discord gateway down',
      );
      // `docker stop` sends SIGTERM and, after 2 s, SIGKILL (exit code 137): 0 means it left in time.
      await bot().stop({ t: 2 });
      const { State } = await bot().inspect();
      expect(State.ExitCode).toBe(0);
      expect(State.OOMKilled).toBe(false);
    },
    TEST_MS,
  );
});
