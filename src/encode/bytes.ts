/**
 * A growable UTF-8 byte buffer for one batch. Each encoded line is written into off-heap memory as
 * soon as it exists, so a batch never lives on the JS heap as one big string: young-generation
 * collections then copy almost nothing (a 4,096-row batch held as a string was most of their work).
 */
export class ByteBuffer {
  private buf: Buffer;
  private used = 0;

  constructor(capacity: number) {
    // Not from Node's shared pool: the memory can be transferred to another thread as is.
    this.buf = Buffer.allocUnsafeSlow(Math.max(1024, capacity));
  }

  get length(): number {
    return this.used;
  }

  append(s: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + s.length * 3 > this.buf.length) this.grow(this.used + s.length * 3);
    this.used += this.buf.write(s, this.used, 'utf8');
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /** The bytes written (a view of this buffer's own memory; the buffer is not used afterwards). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}
