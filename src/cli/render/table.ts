// table.ts: kubectl's table output (k8s.io/cli-runtime/pkg/printers/tableprinter.go): upper-case
// headers, columns padded by a tabwriter (minimum width 10, padding 3), times shown as ages
// (k8s.io/apimachinery/pkg/util/duration HumanDuration).

/** renderTable lays rows out in columns; trailing blanks of a line are dropped. */
export function renderTable(headers: string[], rows: string[][]): string {
  const lines = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(10, ...lines.map((l) => (l[i] ?? '').length + 3)));
  return lines
    .map(
      (l) =>
        `${l
          .map((cell, i) => (i === l.length - 1 ? cell : cell.padEnd(widths[i]!)))
          .join('')
          .trimEnd()}\n`,
    )
    .join('');
}

/** age is the time since an RFC 3339 timestamp as kubectl prints it ("" when there is none). */
export function age(since: string | undefined, now: Date): string {
  if (!since) return '';
  const t = Date.parse(since);
  return Number.isNaN(t) ? '<invalid>' : humanDuration(now.getTime() - t);
}

/** humanDuration is apimachinery's HumanDuration: two units at most, coarser as it grows ("5m30s", "3h", "2d4h"). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // A couple of seconds in the future is clock skew: "0s"; more is invalid.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  const two = (big: number, unit: string, small: number, smallUnit: string) => (small === 0 ? `${big}${unit}` : `${big}${unit}${small}${smallUnit}`);
  if (minutes < 10) return two(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return two(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return two(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return two(years, 'y', days % 365, 'd');
  return `${years}y`;
}
