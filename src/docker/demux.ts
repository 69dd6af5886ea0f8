import { Transform, type TransformCallback } from 'node:stream';

const HEADER = 8;

/**
 * Docker's multiplexed stream (non-TTY attach and logs): frames of an 8-byte header
 * (stream type, 3 zero bytes, big-endian length) followed by the payload. Frames may be split
 * across chunks or several may share one; stdout and stderr both become plain output here.
 */
export class DemuxStream extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= HEADER) {
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - HEADER < size) break;
      this.push(this.pending.subarray(offset + HEADER, offset + HEADER + size));
      offset += HEADER + size;
    }
    this.pending = this.pending.subarray(offset);
    done();
  }
}

/** Demultiplexes a complete buffer, such as the answer to a non-following logs request. */
export function demuxBuffer(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= HEADER) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + HEADER, Math.min(buffer.length, offset + HEADER + size)));
    offset += HEADER + size;
  }
  return Buffer.concat(parts);
}
