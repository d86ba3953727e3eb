import { Alert, Card, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconChartAreaLine, IconInfoCircle } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { OrganizationDetail, OrganizationSummary, UsageReport } from '@allot/contract';
import { apiHref } from '../../api';
import { EmptyPanel } from '../../components/EmptyPanel';
import { ExportCsvButton } from '../../components/ExportCsvButton';
import { LoadError } from '../../components/LoadError';
import { OrganizationGate } from '../../components/OrganizationGate';
import { PageHeader } from '../../components/PageHeader';
import { useApiResource } from '../../hooks/use-api-resource';
import { useRetained } from '../../hooks/use-retained';
import { useUpdateSearchParams } from '../../hooks/use-update-search-params';
import { formatDay, formatNumber, formatShortDay } from '../../lib/format';
import { ReclaimedSeatsCard } from './ReclaimedSeatsCard';
import { ActiveSeatsFigure, ProductSeatsFigure, TeamSeatsFigure } from './UsageCharts';
import { overallSeries, PERIODS, periodOf, productSeries, readPeriod, teamStack, type SeatPoint } from './usage-series';

export default function UsagePage() {
  return <OrganizationGate>{(organization) => <Usage organization={organization} />}</OrganizationGate>;
}

function Usage({ organization }: { organization: OrganizationSummary }) {
  const [params] = useSearchParams();
  const updateParams = useUpdateSearchParams();
  const period = readPeriod(params.get('days'));
  const report = useApiResource<UsageReport>(`/organizations/${organization.id}/usage?days=${period}`);
  // Only to say whether the idle-seat policy is on; the page does without it.
  const detail = useApiResource<OrganizationDetail>(`/organizations/${organization.id}`);
  // While another period loads, the last one stays on screen (dimmed) instead of flashing skeletons.
  const shown = useRetained(report.state.status === 'ready' ? report.state.data : null);
  const loadingAnother = report.state.status === 'loading' && shown !== null;

  function choosePeriod(value: string) {
    updateParams((next) => next.set('days', value));
  }

  function chooseProduct(productId: string) {
    updateParams((next) => next.set('product', productId));
  }

  return (
    <>
      <PageHeader
        title="Usage"
        description={`How many seats ${organization.name} holds, how many are assigned and how many are really used, day by day.`}
        actions={
          <>
            <SegmentedControl aria-label="Period" data={[...PERIODS]} value={period} onChange={choosePeriod} />
            <ExportCsvButton href={apiHref(`/organizations/${organization.id}/usage.csv`, { days: period })} />
          </>
        }
      />
      {report.state.status === 'error' ? (
        <LoadError title="Could not load the usage" message={report.state.message} onRetry={report.reload} />
      ) : shown === null ? (
        <UsageSkeleton />
      ) : (
        <Stack gap="xl" aria-busy={loadingAnother} style={loadingAnother ? { opacity: 0.6, transition: 'opacity 150ms' } : undefined}>
          <UsageReportView
            organization={organization}
            report={shown}
            productId={params.get('product')}
            onProductChange={chooseProduct}
            policies={detail.state.status === 'ready' ? detail.state.data : null}
          />
        </Stack>
      )}
    </>
  );
}

type UsageReportViewProps = {
  organization: OrganizationSummary;
  report: UsageReport;
  productId: string | null;
  onProductChange: (productId: string) => void;
  policies: OrganizationDetail | null;
};

function UsageReportView({ organization, report, productId, onProductChange, policies }: UsageReportViewProps) {
  const period = periodOf(report);
  const overall = useMemo(() => overallSeries(report), [report]);
  const product = report.products.find((candidate) => candidate.id === productId) ?? report.products[0];
  const productPoints = useMemo(() => (product ? productSeries(report, product.id) : []), [report, product]);
  const stack = useMemo(() => teamStack(report), [report]);
  const first = overall[0];

  if (!first || !product) {
    return (
      <Card padding="xl">
        <EmptyPanel
          icon={<IconChartAreaLine size={28} stroke={1.6} />}
          title="No usage recorded yet"
          description={`Allot records every pool's seats once a day. The charts fill in once ${organization.name} holds licenses; the first point appears within minutes of the first order.`}
        />
      </Card>
    );
  }

  return (
    <>
      {first.day > report.from ? (
        <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />}>
          Recorded since {formatDay(first.day)}. Allot writes down the seats once a day; the days before have no record.
        </Alert>
      ) : null}
      <AtAGlance points={overall} />
      <ProductSeatsFigure report={report} period={period} product={product} points={productPoints} onProductChange={onProductChange} />
      <ActiveSeatsFigure report={report} period={period} points={overall} />
      <TeamSeatsFigure report={report} period={period} stack={stack} />
      <ReclaimedSeatsCard organization={organization} reclaimed={report.reclaimed} policies={policies} />
    </>
  );
}

const GLANCE: Array<{ field: keyof Pick<SeatPoint, 'total' | 'assigned' | 'free' | 'active'>; label: string }> = [
  { field: 'total', label: 'Total seats' },
  { field: 'assigned', label: 'Assigned' },
  { field: 'free', label: 'Free' },
  { field: 'active', label: 'Active (30 days)' },
];

/** The latest day's numbers, and how they moved since the period began. */
function AtAGlance({ points }: { points: SeatPoint[] }) {
  const first = points[0]!;
  const last = points.at(-1)!;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
      {GLANCE.map(({ field, label }) => {
        const difference = last[field] - first[field];
        return (
          <Card key={field} padding="md">
            <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: '0.04em' }}>
              {label}
            </Text>
            <Text fz={28} fw={700} lh={1.3} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatNumber(last[field])}
            </Text>
            <Text size="xs" c="dimmed">
              {points.length === 1
                ? `on ${formatShortDay(last.day)}`
                : difference === 0
                  ? `unchanged since ${formatShortDay(first.day)}`
                  : `${difference > 0 ? '+' : '−'}${formatNumber(Math.abs(difference))} since ${formatShortDay(first.day)}`}
            </Text>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function UsageSkeleton() {
  return (
    <Stack gap="xl" aria-busy aria-label="Loading usage" role="status">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        {[0, 1, 2, 3].map((index) => (
          <Skeleton key={index} height={96} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton height={360} radius="md" />
      <Skeleton height={360} radius="md" />
    </Stack>
  );
}
