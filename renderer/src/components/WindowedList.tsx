// A list that renders only the rows in view (plus a few): a thousand log lines scroll as
// smoothly as ten. Rows have one fixed height; the list keeps to the bottom while `follow` is on.
import type { ReactNode } from 'react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

const OVERSCAN = 8;

export function WindowedList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  /** Used until the element is measured (and where it cannot be, as in jsdom). */
  fallbackHeight: number;
  label: string;
  follow: boolean;
  /** Called when the user scrolls up away from the bottom while following. */
  onLeaveBottom?: () => void;
  rowKey: (item: T, index: number) => string;
  renderRow: (item: T) => ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(props.fallbackHeight);
  const total = props.items.length * props.rowHeight;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || props.fallbackHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [props.fallbackHeight]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (props.follow && el) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [props.follow, props.items]);

  const first = Math.max(0, Math.floor(scrollTop / props.rowHeight) - OVERSCAN);
  const last = Math.min(
    props.items.length,
    Math.ceil((scrollTop + height) / props.rowHeight) + OVERSCAN,
  );
  const rows = [];
  for (let i = first; i < last; i += 1) {
    const item = props.items[i] as T;
    rows.push(
      <li
        key={props.rowKey(item, i)}
        className="windowed-row"
        style={{ top: i * props.rowHeight, height: props.rowHeight }}
      >
        {props.renderRow(item)}
      </li>,
    );
  }

  return (
    <div
      ref={ref}
      className="windowed"
      role="region"
      aria-label={props.label}
      tabIndex={0}
      onScroll={(event) => {
        const el = event.currentTarget;
        setScrollTop(el.scrollTop);
        const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < props.rowHeight;
        if (props.follow && !atBottom) props.onLeaveBottom?.();
      }}
    >
      <ul className="windowed-content" style={{ height: total }}>
        {rows}
      </ul>
    </div>
  );
}
