/**
 * Row counts of the file formats besides CSV, for `seedpipe verify`: JSON Lines count their lines;
 * Parquet files say theirs in the footer (`FileMetaData.num_rows`, Thrift compact protocol), which
 * is read from the file's tail. Both are pushed chunk by chunk, so memory stays bounded.
 */

/** Counts lines (records of JSON Lines); a last line without LF counts too. */
export class LineCounter {
  private count = 0;
  private pending = false;
  push(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let i = buf.indexOf(0x0a);
    let last = -1;
    while (i >= 0) {
      this.count++;
      last = i;
      i = buf.indexOf(0x0a, i + 1);
    }
    if (buf.length > 0) this.pending = last !== buf.length - 1;
  }
  records(): number {
    return this.count + (this.pending ? 1 : 0);
  }
}

/** Keeps the last bytes of a stream (the Parquet footer), up to a bound. */
export class ParquetFooter {
  private tail = Buffer.alloc(0);
  constructor(private readonly keep = 64 * 1024 * 1024) {}
  push(chunk: Uint8Array): void {
    const next = Buffer.concat([this.tail, Buffer.from(chunk)]);
    this.tail = next.length > this.keep ? next.subarray(next.length - this.keep) : next;
  }
  /** `num_rows` of the footer; throws when the tail is not a Parquet footer. */
  records(): number {
    const t = this.tail;
    if (t.length < 12 || t.toString('latin1', t.length - 4) !== 'PAR1') throw new Error('not a Parquet file (no PAR1 footer)');
    const len = t.readUInt32LE(t.length - 8);
    if (len + 8 > t.length) throw new Error('Parquet footer larger than the bytes kept');
    return readNumRows(t.subarray(t.length - 8 - len, t.length - 8));
  }
}

/** Field 3 (num_rows, i64) of a Thrift-compact `FileMetaData`, skipping everything else. */
function readNumRows(b: Buffer): number {
  let p = 0;
  const varint = (): bigint => {
    let r = 0n;
    let shift = 0n;
    for (;;) {
      const x = b[p++];
      if (x === undefined) throw new Error('truncated Parquet footer');
      r |= BigInt(x & 0x7f) << shift;
      if ((x & 0x80) === 0) return r;
      shift += 7n;
    }
  };
  const zigzag = (): bigint => {
    const v = varint();
    return (v >> 1n) ^ -(v & 1n);
  };
  const skip = (type: number): void => {
    switch (type) {
      case 1: case 2: return;
      case 3: p++; return;
      case 4: case 5: case 6: varint(); return;
      case 7: p += 8; return;
      case 8: {
        // Not `p += varint()`: that would add to the position from before the length was read.
        const n = Number(varint());
        p += n;
        return;
      }
      case 9: case 10: {
        const h = b[p++]!;
        let n = h >> 4;
        if (n === 15) n = Number(varint());
        const et = h & 0x0f;
        for (let i = 0; i < n; i++) {
          if (et === 1 || et === 2) p++;
          else skip(et);
        }
        return;
      }
      case 11: {
        const n = Number(varint());
        if (n === 0) return;
        const kv = b[p++]!;
        for (let i = 0; i < n; i++) {
          skip(kv >> 4);
          skip(kv & 0x0f);
        }
        return;
      }
      case 12: struct(() => undefined); return;
      default: throw new Error(`bad Thrift type ${type} at byte ${p} of the Parquet footer`);
    }
  };
  const struct = (onField: (id: number, type: number) => boolean | undefined): void => {
    let id = 0;
    for (;;) {
      const h = b[p++];
      if (h === undefined) throw new Error('truncated Parquet footer');
      if (h === 0) return;
      const delta = h >> 4;
      const type = h & 0x0f;
      id = delta === 0 ? Number(zigzag()) : id + delta;
      if (!onField(id, type)) skip(type);
    }
  };
  let rows: number | undefined;
  struct((id, type) => {
    if (id === 3 && type === 6) {
      rows = Number(zigzag());
      return true;
    }
    return undefined;
  });
  if (rows === undefined) throw new Error('Parquet footer without num_rows');
  return rows;
}
