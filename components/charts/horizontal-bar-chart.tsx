'use client';

import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';

export type BarDatum = { label: string; value: number };

const ROW_HEIGHT = 30;
const TEAL_700 = '#0f766e';

/** About how wide a character is at 12 px: Latin letters about 7 px, Chinese characters 12. */
const charWidth = (c: string) => (c.charCodeAt(0) < 0x2e80 ? 7 : 12);

/** About how many pixels a label takes at 12 px. */
const textWidth = (label: string) => [...label].reduce((w, c) => w + charWidth(c), 0);

/** The widest labels get unless a width is given: room for "Insufficient proof of hardship". */
const MAX_LABEL_WIDTH = 224;

/** Long names (lenders: "花呗/借呗（重庆蚂蚁消费金融）") are cut to fit the axis; the table beside the chart has them whole. */
function shorten(label: string, width: number): string {
  const chars = [...label];
  let used = 0;
  for (let i = 0; i < chars.length; i++) {
    used += charWidth(chars[i]);
    if (used > width) return `${chars.slice(0, Math.max(1, i - 1)).join('')}…`;
  }
  return label;
}

/**
 * One horizontal bar per category, its value written at the end of the bar: horizontal so that
 * Chinese labels read across on a 360 px phone, and no axis of numbers to decode. Decorative for
 * screen readers (aria-hidden): every chart on the dashboard sits next to a table of the same
 * numbers.
 */
export function HorizontalBarChart({
  data,
  max,
  suffix = '',
  labelWidth: fixedLabelWidth,
  color = TEAL_700,
  testId,
}: {
  data: BarDatum[];
  /** The end of the value axis (100 for percentages); default: the largest value. */
  max?: number;
  /** Written after each value ("%"). */
  suffix?: string;
  /** Pixels for the category labels; by default as wide as the longest needs, up to MAX_LABEL_WIDTH. */
  labelWidth?: number;
  color?: string;
  testId?: string;
}) {
  const height = data.length * ROW_HEIGHT + 8;
  const labelWidth = fixedLabelWidth ?? Math.min(MAX_LABEL_WIDTH, Math.max(0, ...data.map((d) => textWidth(d.label))) + 12);
  return (
    <div aria-hidden="true" data-testid={testId} className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 320, height }}>
        {/* No keyboard layer: recharts would make the chart a Tab stop (tabindex=0) inside this aria-hidden box, a stop a screen reader cannot name. */}
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 40, bottom: 4, left: 0 }} barCategoryGap={6} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="#e7e5e4" />
          <XAxis type="number" hide domain={[0, max ?? 'dataMax']} allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="label"
            width={labelWidth}
            tickLine={false}
            axisLine={false}
            interval={0}
            tick={{ fontSize: 12, fill: '#44403c' }}
            tickFormatter={(v: string) => shorten(v, labelWidth - 8)}
          />
          <Bar dataKey="value" fill={color} radius={[0, 3, 3, 0]} isAnimationActive={false} minPointSize={2}>
            <LabelList
              dataKey="value"
              position="right"
              style={{ fontSize: 12, fill: '#292524' }}
              formatter={(v: unknown) => `${v as number}${suffix}`}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
