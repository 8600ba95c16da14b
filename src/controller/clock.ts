// clock.ts: the one clock of the control plane. Reconcilers read now() and arm timers through it,
// so tests drive time by hand (FakeClock) and long Tekton timeouts (days) work: Node's setTimeout
// fires at once above 2^31-1 ms (~24.8 days), so long timers are chained.

/** Clock tells the time and arms timers; a timer's cancel function disarms it. */
export interface Clock {
  now(): Date;
  setTimer(delayMs: number, fn: () => void): () => void;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

/** realClock is the wall clock with chained timers; timers do not keep the process alive. */
export const realClock: Clock = {
  now: () => new Date(),
  setTimer(delayMs, fn) {
    const due = Date.now() + Math.max(0, delayMs);
    let handle: NodeJS.Timeout;
    const arm = () => {
      const left = due - Date.now();
      handle = setTimeout(left > MAX_TIMEOUT ? arm : fn, Math.min(Math.max(0, left), MAX_TIMEOUT));
      handle.unref();
    };
    arm();
    return () => clearTimeout(handle);
  },
};

/** FakeClock only moves when advance() is called; due timers fire in order of their due time. */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: { due: number; seq: number; fn: () => void }[] = [];

  constructor(start = '2026-12-02T00:00:00Z') {
    this.t = Date.parse(start);
  }
  now(): Date {
    return new Date(this.t);
  }
  setTimer(delayMs: number, fn: () => void): () => void {
    const timer = { due: this.t + Math.max(0, delayMs), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
  /** advance moves time forward by ms, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.due <= end).sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = Math.max(this.t, next.due);
      next.fn();
    }
    this.t = end;
  }
  /** pending is how many timers are armed. */
  pending(): number {
    return this.timers.length;
  }
}
