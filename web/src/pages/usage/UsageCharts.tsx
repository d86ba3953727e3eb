import { AreaChart, LineChart } from '@mantine/charts';
import { Card, Group, Select, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import type { UsageReport } from '@allot/contract';
import { formatDay, formatNumber } from '../../lib/format';
import {
  dayTime,
  describeActiveSeats,
  describeProductSeats,
  describeTeamSeats,
  formatTick,
  tableRows,
  timeTicks,
  valueAxis,
  type Period,
  type SeatPoint,
  type TeamStack,
} from './usage-series';

const CHART_HEIGHT = 260;

type DataTable = { caption: string; columns: string[]; rows: Array<{ day: string; values: number[] }> };

type ChartFigureProps = {
  id: string;
  title: string;
  /** What the lines mean, under the title. */
  description: string;
  /** Beside the title: a product picker. */
  controls?: ReactNode;
  /** The chart (named by its summary) and, for screen readers, its numbers as a table. */
  children: ReactNode;
  table: DataTable;
};

/** A chart as a figure: captioned, described in words, with its numbers in a table screen readers can walk. */
function ChartFigure({ id, title, description, controls, children, table }: ChartFigureProps) {
  const { rows, weekly } = tableRows(table.rows);
  return (
    <Card component="figure" padding="lg" m={0} aria-labelledby={`${id}-title`}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} component="figcaption" style={{ flex: '1 1 320px' }}>
            <Title order={2} fz="lg" id={`${id}-title`}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Stack>
          {controls}
        </Group>
        {children}
        <VisuallyHidden>
          <table>
            <caption>{`${table.caption}${weekly ? ', one row a week' : ''}`}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {table.columns.map((column, index) => (
                  <th key={index} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.day}>
                  <th scope="row">{formatDay(row.day)}</th>
                  {row.values.map((value, index) => (
                    <td key={index}>{formatNumber(value)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </VisuallyHidden>
      </Stack>
    </Card>
  );
}

const dayOfTime = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * What the three charts share: a time axis over the whole period (days without a record leave a
 * gap in time rather than squeezing the axis), whole numbers, the day in the tooltip. The chart
 * itself is one image to assistive technology, named by its summary; the keyboard layer is off
 * because the table beside it carries the same numbers.
 */
type ChartPropsInput = {
  report: UsageReport;
  period: Period;
  /** How many days have a record. */
  points: number;
  summary: string;
  /** The series' data keys, in legend order. */
  series: string[];
  /** The highest value the chart draws (the top of a stack), for the value axis. */
  highest: number;
};

function chartProps({ report, period, points, summary, series, highest }: ChartPropsInput) {
  return {
    h: CHART_HEIGHT,
    dataKey: 'time',
    role: 'img',
    'aria-label': summary,
    accessibilityLayer: false,
    withLegend: true,
    // In the order of the series (recharts sorts by name otherwise).
    legendProps: { verticalAlign: 'bottom' as const, height: 40, itemSorter: (item: { dataKey?: unknown }) => series.indexOf(String(item.dataKey)) },
    // One recorded day is a dot, not an invisible line.
    withDots: points <= 1,
    curveType: 'linear' as const,
    gridAxis: 'xy' as const,
    valueFormatter: formatNumber,
    xAxisProps: {
      type: 'number' as const,
      scale: 'time' as const,
      domain: [dayTime(report.from), dayTime(report.to)],
      ticks: timeTicks(report.from, report.to, period),
      tickFormatter: (time: number) => formatTick(time, period),
    },
    // Round steps from 0 to a little above the highest value: no line runs along the frame.
    yAxisProps: { allowDecimals: false, width: 48, ...valueAxis(highest) },
    tooltipProps: { labelFormatter: (label: ReactNode) => (typeof label === 'number' ? formatDay(dayOfTime(label)) : label) },
  };
}

const PRODUCT_SERIES = [
  { name: 'assigned', label: 'Assigned', color: 'blue.6' },
  { name: 'total', label: 'Total seats', color: 'gray.6', strokeDasharray: '6 4' },
];

const ACTIVE_SERIES = [
  { name: 'assigned', label: 'Assigned', color: 'blue.6' },
  { name: 'active', label: 'Active (used in 30 days)', color: 'teal.6' },
];

type ProductSeatsFigureProps = {
  report: UsageReport;
  period: Period;
  product: UsageReport['products'][number];
  points: SeatPoint[];
  onProductChange: (productId: string) => void;
};

export function ProductSeatsFigure({ report, period, product, points, onProductChange }: ProductSeatsFigureProps) {
  const summary = describeProductSeats(product.name, points);
  return (
    <ChartFigure
      id="product-seats"
      title="Assigned and total seats"
      description={
        report.products.length > 1
          ? 'Per product: the seats bought and not expired, and how many of them are assigned to someone.'
          : `${product.name}: the seats bought and not expired, and how many of them are assigned to someone.`
      }
      controls={
        report.products.length > 1 ? (
          <Select
            label="Product"
            data={report.products.map((candidate) => ({ value: candidate.id, label: candidate.name }))}
            value={product.id}
            onChange={(productId) => productId && onProductChange(productId)}
            allowDeselect={false}
            w={{ base: '100%', xs: 260 }}
          />
        ) : null
      }
      table={{
        caption: `Seats of ${product.name}`,
        columns: ['Total', 'Assigned', 'Free'],
        rows: points.map((point) => ({ day: point.day, values: [point.total, point.assigned, point.free] })),
      }}
    >
      <LineChart
        {...chartProps({
          report,
          period,
          points: points.length,
          summary,
          series: PRODUCT_SERIES.map(({ name }) => name),
          highest: Math.max(0, ...points.map((point) => Math.max(point.total, point.assigned))),
        })}
        data={points}
        series={PRODUCT_SERIES}
      />
    </ChartFigure>
  );
}

export function ActiveSeatsFigure({ report, period, points }: { report: UsageReport; period: Period; points: SeatPoint[] }) {
  const summary = describeActiveSeats(points);
  return (
    <ChartFigure
      id="active-seats"
      title="Active and assigned seats"
      description="All products together. A seat is active when a product used it in the 30 days before: assigned seats nobody uses are the ones to take back."
      table={{
        caption: 'Active and assigned seats',
        columns: ['Assigned', 'Active'],
        rows: points.map((point) => ({ day: point.day, values: [point.assigned, point.active] })),
      }}
    >
      <LineChart
        {...chartProps({
          report,
          period,
          points: points.length,
          summary,
          series: ACTIVE_SERIES.map(({ name }) => name),
          highest: Math.max(0, ...points.map((point) => Math.max(point.assigned, point.active))),
        })}
        data={points}
        series={ACTIVE_SERIES}
      />
    </ChartFigure>
  );
}

export function TeamSeatsFigure({ report, period, stack }: { report: UsageReport; period: Period; stack: TeamStack }) {
  const summary = describeTeamSeats(stack);
  return (
    <ChartFigure
      id="team-seats"
      title="Assigned seats per team"
      description="All products together, stacked: the top of the stack is every assigned seat of the organization."
      table={{
        caption: 'Assigned seats per team',
        columns: stack.series.map((series) => series.label),
        rows: stack.rows.map((row) => ({ day: row.day as string, values: stack.series.map((series) => row[series.key] as number) })),
      }}
    >
      <AreaChart
        {...chartProps({
          report,
          period,
          points: stack.rows.length,
          summary,
          series: stack.series.map(({ key }) => key),
          highest: Math.max(0, ...stack.rows.map((row) => stack.series.reduce((sum, { key }) => sum + (row[key] as number), 0))),
        })}
        type="stacked"
        fillOpacity={0.4}
        data={stack.rows}
        series={stack.series.map((series) => ({ name: series.key, label: series.label, color: series.color }))}
      />
    </ChartFigure>
  );
}
