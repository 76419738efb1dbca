'use client';

import { lazy, Suspense, useEffect, useRef, useState, type ComponentProps } from 'react';
import type { HorizontalBarChart as Chart } from './horizontal-bar-chart';

const ROW_HEIGHT = 30;

// recharts is about 100 kB of gzipped JavaScript: more than the rest of the dashboard's budget
// (issue 6: 150 kB). It is fetched only when a chart comes near the screen, and the charts sit at
// the end of the page; every chart has a table of the same numbers beside it for screen readers.
// React's own lazy (next/dynamic would add its loader to the page): never rendered on the
// server, since `near` starts false.
const HorizontalBarChart = lazy(() => import('./horizontal-bar-chart').then((m) => ({ default: m.HorizontalBarChart })));

/** HorizontalBarChart, loaded when it is about to be seen; until then a box of the same height. */
export function LazyBarChart(props: ComponentProps<typeof Chart>) {
  const placeholder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);

  useEffect(() => {
    const element = placeholder.current;
    if (!element || near) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setNear(true);
      },
      { rootMargin: '200px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);

  const height = props.data.length * ROW_HEIGHT + 8;
  const box = <div ref={placeholder} aria-hidden="true" className="w-full" style={{ height }} data-testid="chart-placeholder" />;
  // Not printed: a chart still waiting to load would print as an empty box. Its table prints instead.
  return (
    <div className="print:hidden">
      {near ? (
        <Suspense fallback={box}>
          <HorizontalBarChart {...props} />
        </Suspense>
      ) : (
        box
      )}
    </div>
  );
}
