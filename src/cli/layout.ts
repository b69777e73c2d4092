/**
 * Lines that fit: every progress and phase line is built for the terminal's width, dropping the
 * least useful parts first (ETA, rate, totals, the bar, the detail) and never cutting a number.
 * Pure functions, tested at 60 and 160 columns.
 */

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 1234 → "1.2k", 12345678 → "12.3M": a whole token, for narrow terminals. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a < 10_000) return int(n);
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e5 ? 1 : 0)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e8 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

export function seconds(s: number): string {
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 3600) return s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Cuts text (never a number we print) to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  if (max <= 0) return '';
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export interface TableView {
  name: string;
  rows: number;
  total: number | undefined;
  /** Rows per second so far. */
  rate: number;
  elapsed: number;
  /** `closing`: every row is written, the sinks are finishing the table (COPY end, upload completion). */
  state: 'running' | 'closing' | 'done';
}

/** One table's progress line, at most `width - 1` characters (the last column makes terminals wrap). */
export function tableLine(t: TableView, width: number, nameWidth: number): string {
  const max = Math.max(19, width - 1);
  const total = t.total ?? t.rows;
  const fraction = total > 0 ? t.rows / total : 1;
  const pct = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const name = t.name.padEnd(nameWidth);
  const eta = t.state === 'done' ? seconds(t.elapsed) : t.state === 'closing' ? 'finishing' : t.rate > 0 && total > t.rows ? `ETA ${seconds((total - t.rows) / t.rate)}` : '';
  const variants: ((b: string) => string)[] = [
    (b) => `${name} |${b}| ${pct} | ${int(t.rows)}/${int(total)} rows | ${int(t.rate)} rows/s${eta ? ` | ${eta}` : ''}`,
    (b) => `${name} |${b}| ${pct} | ${int(t.rows)}/${int(total)} rows | ${int(t.rate)} rows/s`,
    (b) => `${name} |${b}| ${pct} | ${compact(t.rows)}/${compact(total)} | ${compact(t.rate)}/s`,
    (b) => `${name} |${b}| ${pct} | ${compact(t.rows)}/${compact(total)}`,
  ];
  for (const v of variants) {
    const fixed = v('').length;
    const room = max - fixed;
    if (room >= 8) return v(bar(fraction, Math.min(30, room)));
  }
  const tail = ` ${pct} ${compact(t.rows)}`;
  return `${clip(t.name, max - tail.length)}${tail}`;
}

export interface PhaseView {
  stage: string;
  phase: string;
  done?: number;
  total?: number;
  detail?: string;
  elapsed: number;
  ended: boolean;
}

/** One phase's line: `✓ postgres: foreign keys 12/12 3.2 s`, `… postgres: indexes 3/9 (orders_idx) 1.4 s`. */
export function phaseLine(p: PhaseView, width: number): string {
  const max = Math.max(19, width - 1);
  const mark = p.ended ? '✓' : '…';
  const count = p.total !== undefined ? ` ${int(p.ended ? p.total : (p.done ?? 0))}/${int(p.total)}` : '';
  const head = `${mark} ${p.stage}: ${p.phase}`;
  const time = ` ${seconds(p.elapsed)}`;
  const base = `${head}${count}`;
  if (!p.ended && p.detail && base.length + time.length + 4 < max) {
    return `${base} (${clip(p.detail, max - base.length - time.length - 3)})${time}`;
  }
  if (base.length + time.length <= max) return base + time;
  if (head.length + time.length <= max) return head + time;
  return clip(head, max - time.length) + time;
}
