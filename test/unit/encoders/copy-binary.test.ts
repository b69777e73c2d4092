/**
 * The `copy-binary` encoder's exact bytes for every type (PGCOPY binary, network order), its header
 * and trailer, NULLs, deferred columns, and the same refusals as `copy-csv` (NUL, lone surrogates,
 * varchar(n), NOT NULL, types) with the same errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnInfo, TableInfo } from '../../../src/contracts.js';
import { ByteBuffer } from '../../../src/encode/bytes.js';
import { numericField } from '../../../src/encode/pgcopy.js';
import { COPY_BINARY, copyBinaryEncoder, encoders } from '../../../stages/encoders/copy-binary/index.js';
import { copyCsvEncoder } from '../../../stages/encoders/copy-csv/index.js';

const col = (name: string, type: ColumnInfo['type'], extra: Partial<ColumnInfo> = {}): ColumnInfo => ({ name, type, nullable: false, exported: true, deferred: false, ...extra });
const info = (columns: ColumnInfo[]): TableInfo => ({ name: 't', columns, primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 });

/** One row of one column, without the field count: the field (length + value) as hex. */
function field(type: ColumnInfo['type'], v: unknown, extra: Partial<ColumnInfo> = {}): string {
  const hex = copyBinaryEncoder().forTable(info([col('c', type, extra)])).encode([[v]], 0).toString('hex');
  assert.equal(hex.slice(0, 4), '0001', 'field count 1');
  return hex.slice(4);
}

const numeric = (s: string): string => {
  const b = new ByteBuffer(64);
  numericField(b, s);
  return b.bytes().toString('hex');
};

test('header is PGCOPY\\n\\377\\r\\n\\0 with zero flags and no extension; the trailer is int16 -1', () => {
  const t = copyBinaryEncoder().forTable(info([col('a', 'int')]));
  assert.equal(t.header.toString('hex'), '5047434f50590aff0d0a00' + '00000000' + '00000000');
  assert.equal(t.trailer!().toString('hex'), 'ffff');
  assert.equal(encoders[COPY_BINARY].format, 'copy-binary');
  assert.ok(encoders[COPY_BINARY].module, 'workers can make it');
});

test('integers: int8, int4, int2 in network order, negatives in two\'s complement, JS bigints', () => {
  assert.equal(field('bigint', 1), '00000008' + '0000000000000001');
  assert.equal(field('bigint', -1), '00000008' + 'ffffffffffffffff');
  assert.equal(field('bigint', 2 ** 40 + 5), '00000008' + '0000010000000005');
  assert.equal(field('bigint', Number.MAX_SAFE_INTEGER), '00000008' + '001fffffffffffff');
  assert.equal(field('bigint', -Number.MAX_SAFE_INTEGER), '00000008' + 'ffe0000000000001');
  assert.equal(field('bigint', 9223372036854775807n), '00000008' + '7fffffffffffffff');
  assert.equal(field('bigint', -9223372036854775808n), '00000008' + '8000000000000000');
  assert.equal(field('int', 2147483647), '00000004' + '7fffffff');
  assert.equal(field('int', -2147483647), '00000004' + '80000001');
  assert.equal(field('smallint', -2), '00000002' + 'fffe');
  assert.equal(field('smallint', 32767), '00000002' + '7fff');
  assert.throws(() => field('bigint', 9223372036854775808n), /outside the bigint range/);
  assert.throws(() => field('int', 2 ** 31), /an integer within the int range/);
  assert.throws(() => field('bigint', 1.5), /an integer within the bigint range/);
});

test('double precision: IEEE 754 big-endian; -0 is written as 0 (its text is "0"); NaN and Infinity are refused as in CSV', () => {
  assert.equal(field('double precision', 0.5), '00000008' + '3fe0000000000000');
  assert.equal(field('double precision', -2.25), '00000008' + 'c002000000000000');
  assert.equal(field('double precision', -0), '00000008' + '0000000000000000');
  assert.throws(() => field('double precision', NaN), /a finite number/);
  assert.throws(() => field('double precision', Infinity), /a finite number/);
});

/** numeric_out of PGCOPY numeric bytes (what the server prints for them). */
function numericOut(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  const n = b.readInt16BE(4);
  const weight = b.readInt16BE(6);
  const neg = b.readUInt16BE(8) === 0x4000;
  const dscale = b.readInt16BE(10);
  const digits = Array.from({ length: n }, (_, i) => b.readInt16BE(12 + 2 * i));
  let int = '';
  for (let w = weight, i = 0; w >= 0; w--, i++) int += String(digits[i] ?? 0).padStart(4, '0');
  int = int.replace(/^0+/, '') || '0';
  let frac = '';
  for (let w = -1; frac.length < dscale; w--) frac += String(digits[weight - w] ?? 0).padStart(4, '0');
  const text = dscale ? `${int}.${frac.slice(0, dscale)}` : int;
  return neg ? `-${text}` : text;
}

test('numeric: random decimals read back as themselves (leading zeros dropped, the scale kept)', () => {
  let x = 12345;
  const next = (m: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % m;
  for (let k = 0; k < 5000; k++) {
    const intDigits = next(25);
    const fracDigits = next(20);
    const int = Array.from({ length: intDigits }, () => next(10)).join('') || '0';
    const frac = Array.from({ length: fracDigits }, () => next(10)).join('');
    const neg = next(2) === 1;
    const text = `${neg ? '-' : ''}${next(4) === 0 ? '00' : ''}${int}${fracDigits ? `.${frac}` : ''}`;
    const zero = /^-?0*(\.0*)?$/.test(text);
    const want = `${neg && !zero ? '-' : ''}${int.replace(/^0+(?=\d)/, '')}${fracDigits ? `.${frac}` : ''}`;
    assert.equal(numericOut(numeric(text)), want, text);
  }
});

test('numeric: ndigits, weight, sign, dscale and base-10000 digits of the CSV text', () => {
  // 12.34 = 12 . 3400 → digits [12, 3400], weight 0, dscale 2
  assert.equal(numeric('12.34'), '0000000c' + '0002' + '0000' + '0000' + '0002' + '000c' + '0d48');
  assert.equal(numeric('-12.34'), '0000000c' + '0002' + '0000' + '4000' + '0002' + '000c' + '0d48');
  // zero: no digits, positive, the text's scale ("-0.00" is zero too)
  assert.equal(numeric('0.00'), '00000008' + '0000' + '0000' + '0000' + '0002');
  assert.equal(numeric('-0.00'), '00000008' + '0000' + '0000' + '0000' + '0002');
  // 123456789 = 1 | 2345 | 6789, weight 2
  assert.equal(numeric('123456789'), '0000000e' + '0003' + '0002' + '0000' + '0000' + '0001' + '0929' + '1a85');
  // 0.0001 = weight -1, digit 1; trailing zero groups dropped: 10000.5 = 1 | 0000 . 5000
  assert.equal(numeric('0.0001'), '0000000a' + '0001' + 'ffff' + '0000' + '0004' + '0001');
  assert.equal(numeric('10000.50'), '0000000e' + '0003' + '0001' + '0000' + '0002' + '0001' + '0000' + '1388');
  // 0.0000 0123: one digit, 123, at weight -2
  assert.equal(numeric('0.00000123'), '0000000a' + '0001' + 'fffe' + '0000' + '0008' + '007b');
  // toFixed's exponent form from 1e21 on: the integer it stands for
  assert.equal(numeric('1e+21'), numeric('1000000000000000000000'));
  assert.equal(numeric('-1.5e+22'), numeric('-15000000000000000000000'));
  // from a number: toFixed(scale), as CSV writes it
  assert.equal(field('numeric(10,2)', 3.456), numeric('3.46'));
  assert.equal(field('numeric(10,2)', '-7.5'), numeric('-7.5'));
  assert.throws(() => field('numeric(4,2)', 100), /a number below 10\^2/);
});

test('text, varchar and enums: UTF-8 after the byte length; the empty string is length 0, NULL is -1', () => {
  assert.equal(field('text', 'hé🎉'), '00000007' + Buffer.from('hé🎉').toString('hex'));
  assert.equal(field('text', ''), '00000000');
  assert.equal(field('text', null, { nullable: true }), 'ffffffff');
  assert.equal(field('text', '\\.'), '00000002' + '5c2e', '\\. is data, no quoting');
  assert.equal(field('text', 'a,"b"\nc'), '00000007' + Buffer.from('a,"b"\nc').toString('hex'), 'no CSV quoting');
  assert.equal(field('varchar(2)', '🎉🎉'), '00000008' + Buffer.from('🎉🎉').toString('hex'), 'two code points fit varchar(2)');
  assert.equal(field('text', 'b', { enumValues: ['a', 'b'] }), '00000001' + '62');
});

test('uuid: 16 bytes, from the usual form and the others uuid_in takes', () => {
  const bytes = '00000010' + 'a0eebc999c0b4ef8bb6d6bb9bd380a11';
  assert.equal(field('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'), bytes);
  assert.equal(field('uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'), bytes);
  assert.equal(field('uuid', '{a0eebc999c0b4ef8bb6d6bb9bd380a11}'), bytes);
  assert.equal(field('uuid', 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'), bytes);
  assert.throws(() => field('uuid', 'not-a-uuid'), /is not a UUID/);
  // The canonical shape with a character that is no hex digit (ASCII or not) is refused, not misread.
  assert.throws(() => field('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g'), /is not a UUID/);
  assert.throws(() => field('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\u0661'), /is not a UUID/);
  assert.throws(() => field('uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1\u0130'), /is not a UUID/);
  assert.throws(() => field('uuid', 'a0eebc99x9c0b-4ef8-bb6d-6bb9bd380a11'), /is not a UUID/);
  // Every hex digit in every position.
  for (const d of '0123456789abcdefABCDEF') {
    const u = `${d.repeat(8)}-${d.repeat(4)}-${d.repeat(4)}-${d.repeat(4)}-${d.repeat(12)}`;
    assert.equal(field('uuid', u), '00000010' + d.toLowerCase().repeat(32));
  }
});

test('boolean, date, timestamptz: one byte; days and microseconds since 2000-01-01 UTC', () => {
  assert.equal(field('boolean', true), '00000001' + '01');
  assert.equal(field('boolean', false), '00000001' + '00');
  assert.equal(field('date', new Date('2000-01-02T23:59:59Z')), '00000004' + '00000001');
  assert.equal(field('date', new Date('1999-12-31T00:00:00Z')), '00000004' + 'ffffffff');
  assert.equal(field('date', '2024-02-29'), '00000004' + (8825).toString(16).padStart(8, '0'));
  assert.throws(() => field('date', '2023-02-29'), /not a calendar date/);
  assert.equal(field('timestamptz', new Date('2000-01-01T00:00:00.001Z')), '00000008' + '00000000000003e8');
  assert.equal(field('timestamptz', new Date('1999-12-31T23:59:59.999Z')), '00000008' + 'fffffffffffffc18');
  // 2025-06-01T12:34:56.789Z: (1748781296789 - 946684800000) ms × 1000
  assert.equal(field('timestamptz', new Date('2025-06-01T12:34:56.789Z')), '00000008' + (802096496789000n).toString(16).padStart(16, '0'));
  // Far from 2000 (beyond 2^53 µs): exact
  assert.equal(field('timestamptz', new Date('9999-12-31T23:59:59.999Z')), '00000008' + ((253402300799999n - 946684800000n) * 1000n).toString(16).padStart(16, '0'));
  assert.throws(() => field('timestamptz', new Date(NaN)), /a valid Date/);
});

test('jsonb: version byte 1 then the JSON text; values jsonb refuses fail as in CSV', () => {
  const json = JSON.stringify({ a: [1, 'x,y'], b: null });
  assert.equal(field('jsonb', { a: [1, 'x,y'], b: null }), (json.length + 1).toString(16).padStart(8, '0') + '01' + Buffer.from(json).toString('hex'));
  assert.equal(field('jsonb', 'é'), '00000005' + '01' + Buffer.from('"é"').toString('hex'));
  assert.throws(() => field('jsonb', { s: 'a\u0000b' }), /without NUL characters/);
  assert.throws(() => field('jsonb', { n: 1n }), /JSON-serialisable/);
});

test('a row: field count, then each field; deferred columns NULL (still type-checked)', () => {
  const t = info([col('id', 'int'), col('p', 'int', { nullable: true, deferred: true }), col('s', 'text')]);
  const e = copyBinaryEncoder().forTable(t);
  assert.equal(e.encode([[1, 7, 'x'], [2, null, '']], 0).toString('hex'),
    '0003' + '00000004' + '00000001' + 'ffffffff' + '00000001' + '78' +
    '0003' + '00000004' + '00000002' + 'ffffffff' + '00000000');
  assert.throws(() => e.encode([[1, 'seven', 'x']], 0), /column p \(row 0\).*an integer within the int range/);
  assert.notEqual(e.identity, copyCsvEncoder().forTable(t).identity);
  // appendRow (the generator's fast path) writes the same bytes as encode
  const b = new ByteBuffer(16);
  e.appendRow!([1, 7, 'x'], 0, b);
  e.appendRow!([2, null, ''], 1, b);
  assert.ok(b.bytes().equals(e.encode([[1, 7, 'x'], [2, null, '']], 0)));
});

test('the same refusals and errors as copy-csv: NUL, lone surrogates, varchar(n), NOT NULL, wrong types', () => {
  const cases: [ColumnInfo, unknown][] = [
    [col('s', 'text'), 'a\u0000b'],
    [col('s', 'text'), 'x\uD800y'],
    [col('s', 'varchar(3)'), 'abcd'],
    [col('s', 'text'), null],
    [col('s', 'text'), 12],
    [col('s', 'text', { enumValues: ['a'] }), 'b'],
    [col('b', 'boolean'), 'true'],
    [col('d', 'date'), 'yesterday'],
    [col('t', 'timestamptz'), '2025-01-01'],
    [col('u', 'uuid'), 7],
  ];
  for (const [c, v] of cases) {
    const csvError = (() => { try { copyCsvEncoder().forTable(info([c])).encode([[v]], 5); } catch (e) { return e as Error; } return undefined; })();
    assert.ok(csvError, `copy-csv refuses ${String(v)} for ${c.type}`);
    assert.throws(() => copyBinaryEncoder().forTable(info([c])).encode([[v]], 5), (e: Error) => {
      assert.equal(e.message, csvError.message);
      assert.equal((e as { code?: string }).code, (csvError as { code?: string }).code);
      return true;
    });
  }
});
