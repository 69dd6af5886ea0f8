/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes carry milliseconds since then in bits 22+. */
const DISCORD_EPOCH = 1_420_070_400_000n;

export type SnowflakeGenerator = () => string;

/**
 * Returns a generator of Discord-shaped snowflakes: increasing, 17-19 digits, and carrying a real
 * timestamp, because discord.js derives `createdAt` from ids and its REST client only treats
 * 17-19 digit path segments as major parameters (rate-limit buckets).
 */
export function createSnowflakeGenerator(): SnowflakeGenerator {
  let last = 0n;
  return () => {
    const now = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    last = now > last ? now : last + 1n;
    return last.toString();
  };
}

/** The creation time encoded in a snowflake, in ms since the Unix epoch. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
