/**
 * A growable UTF-8 byte buffer for one batch. Each encoded line is written into off-heap memory as
 * soon as it exists, so a batch never lives on the JS heap as one big string: young-generation
 * collections then copy almost nothing (a 4,096-row batch held as a string was most of their work).
 */
/** Value of each ASCII hex digit; -1 for every other character. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

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

  /** Room for `n` more bytes (the binary writers below call it; so may an encoder before a run of them). */
  reserve(n: number): void {
    if (this.used + n > this.buf.length) this.grow(this.used + n);
  }

  /** Big-endian (network order) integers, a double, raw bytes: what PGCOPY binary is made of. */
  int16(v: number): void {
    this.reserve(2);
    const b = this.buf;
    const o = this.used;
    b[o] = (v >>> 8) & 255;
    b[o + 1] = v & 255;
    this.used = o + 2;
  }

  /** A 32-bit integer, signed or unsigned (its low 32 bits). */
  int32(v: number): void {
    this.reserve(4);
    const b = this.buf;
    const o = this.used;
    b[o] = v >>> 24;
    b[o + 1] = (v >>> 16) & 255;
    b[o + 2] = (v >>> 8) & 255;
    b[o + 3] = v & 255;
    this.used = o + 4;
  }

  float64(v: number): void {
    this.reserve(8);
    this.buf.writeDoubleBE(v, this.used);
    this.used += 8;
  }

  bigint64(v: bigint): void {
    this.reserve(8);
    this.buf.writeBigInt64BE(v, this.used);
    this.used += 8;
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
  }

  /**
   * A canonical UUID string (`8-4-4-4-12` hex digits, either case) as its length (int32 16) and 16
   * bytes; false, writing nothing, for any other string. One pass, no regex or temporary string.
   */
  uuid(s: string): boolean {
    if (s.length !== 36 || s.charCodeAt(8) !== 45 || s.charCodeAt(13) !== 45 || s.charCodeAt(18) !== 45 || s.charCodeAt(23) !== 45) return false;
    this.reserve(20);
    const b = this.buf;
    const o = this.used + 4;
    let k = 0;
    for (let i = 0; i < 36; i += 2) {
      if (i === 8 || i === 13 || i === 18 || i === 23) i++;
      const hi = HEX[s.charCodeAt(i) & 127]!;
      const lo = HEX[s.charCodeAt(i + 1) & 127]!;
      if ((hi | lo) < 0 || s.charCodeAt(i) > 127 || s.charCodeAt(i + 1) > 127) return false;
      b[o + k++] = (hi << 4) | lo;
    }
    this.int32(16);
    this.used += 16;
    return true;
  }

  /** `s` as UTF-8 after its byte length (int32): a text field of PGCOPY binary. `prefix` bytes go first, counted in the length. */
  lengthPrefixedUtf8(s: string, prefix = -1): void {
    const extra = prefix >= 0 ? 1 : 0;
    this.reserve(4 + extra + s.length * 3);
    const o = this.used;
    if (extra) this.buf[o + 4] = prefix;
    const n = this.buf.write(s, o + 4 + extra, 'utf8') + extra;
    this.used = o;
    this.int32(n);
    this.used = o + 4 + n;
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
