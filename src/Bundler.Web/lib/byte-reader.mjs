import { BundleError, networkFailure } from './bundle-error.mjs';

/** Reads exact byte counts from a response body as its chunks arrive, without copying more than it must. */
export class ByteReader {
  #reader;
  #chunks = [];
  #buffered = 0;
  #done = false;
  /** Bytes handed out so far. */
  position = 0;

  #source;

  /** `source` names the stream (its URL) in the error when the network fails while it is read. */
  constructor(stream, source) {
    this.#reader = stream.getReader();
    this.#source = source;
  }

  /** The next `count` bytes, or null when the stream ends first (with fewer bytes buffered than asked). */
  async read(count) {
    while (this.#buffered < count && !this.#done) {
      const { value, done } = await this.#readChunk();
      if (done) {
        this.#done = true;
      } else if (value.length > 0) {
        this.#chunks.push(value);
        this.#buffered += value.length;
      }
    }

    if (this.#buffered < count) {
      return null;
    }

    this.position += count;
    return this.#take(count);
  }

  /** Exactly `count` bytes, or a refusal saying what was cut short. */
  async readExactly(count, what) {
    const bytes = await this.read(count);
    if (bytes === null) {
      throw new BundleError(`The bundle is truncated: it ends inside ${what}.`);
    }

    return bytes;
  }

  /** True when nothing follows the bytes read so far. */
  async atEnd() {
    return (await this.read(1)) === null;
  }

  async #readChunk() {
    try {
      return await this.#reader.read();
    } catch (error) {
      throw networkFailure(error, `Reading ${this.#source} failed after ${this.position + this.#buffered} bytes`);
    }
  }

  cancel() {
    return this.#reader.cancel().catch(() => {});
  }

  #take(count) {
    const first = this.#chunks[0];
    if (first && first.length >= count) {
      const taken = first.subarray(0, count);
      if (first.length === count) {
        this.#chunks.shift();
      } else {
        this.#chunks[0] = first.subarray(count);
      }

      this.#buffered -= count;
      return taken;
    }

    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.#chunks[0];
      const part = Math.min(chunk.length, count - filled);
      out.set(chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.length) {
        this.#chunks.shift();
      } else {
        this.#chunks[0] = chunk.subarray(part);
      }
    }

    this.#buffered -= count;
    return out;
  }
}
