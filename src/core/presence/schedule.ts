// Weekly allowed hours: "mon-fri 18:00-08:00", "sat,sun 00:00-24:00". A window may cross
// midnight; its start day is the day it opens on. Local time.

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface WeeklyWindow {
  /** Days (0 = Sunday) on which the window opens. */
  days: number[];
  startMin: number;
  endMin: number;
  text: string;
}

function parseDays(spec: string, text: string): number[] {
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const [from, to] = part.split('-');
    const a = DAYS.indexOf(from as (typeof DAYS)[number]);
    const b = to === undefined ? a : DAYS.indexOf(to as (typeof DAYS)[number]);
    if (a < 0 || b < 0)
      throw new Error(
        `allowed hours "${text}": unknown day "${part}" — use mon, tue, wed, thu, fri, sat, sun`,
      );
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return [...days].sort();
}

function parseTime(hhmm: string, text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new Error(`allowed hours "${text}": "${hhmm}" is not a time — use HH:MM, 00:00 to 24:00`);
  }
  return minutes;
}

/** Parses one window; throws an Error that quotes the text and says the expected form. */
export function parseWindow(text: string): WeeklyWindow {
  const m = /^\s*([a-z,-]+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$/i.exec(text);
  if (!m)
    throw new Error(
      `allowed hours "${text}": expected "<days> HH:MM-HH:MM", e.g. "mon-fri 18:00-08:00"`,
    );
  return {
    days: parseDays((m[1] as string).toLowerCase(), text),
    startMin: parseTime(m[2] as string, text),
    endMin: parseTime(m[3] as string, text),
    text: text.trim(),
  };
}

/** Whether local time `now` falls inside the window. */
export function inWindow(w: WeeklyWindow, now: Date): boolean {
  const day = now.getDay();
  const min = now.getHours() * 60 + now.getMinutes();
  if (w.startMin <= w.endMin) return w.days.includes(day) && min >= w.startMin && min < w.endMin;
  // Crosses midnight: the evening part belongs to today, the morning part to yesterday's window.
  const yesterday = (day + 6) % 7;
  return (
    (w.days.includes(day) && min >= w.startMin) || (w.days.includes(yesterday) && min < w.endMin)
  );
}
