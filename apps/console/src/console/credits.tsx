// Credits: the balance and its totals, usage per day over the last 30 days (an SVG drawn here, with a
// table of the same numbers for screen readers and tests), and the ledger with a type filter. A
// platform admin also sees the grant form (credits:grant is theirs alone; the server decides anyway).
import { useGatehouse, useGatehouseQueries, useSession } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  Alert,
  Empty,
  ErrorState,
  Field,
  formErrorOf,
  formValues,
  Loading,
  Page,
  Pager,
  ScrollBox,
  SelectField,
  useCursors,
  when,
} from '../ui.tsx';

const types = ['purchase', 'grant', 'usage', 'refund', 'adjustment', 'expiry'] as const;
type TransactionType = (typeof types)[number];
const DAYS = 30;
// The chart reads at most this many pages of 200 debits; past that its oldest days are incomplete.
const CHART_PAGES = 10;

const credits = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 6 });

export function Credits({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const session = useSession();
  const balance = useQuery(gh.credits.balance.queryOptions({ organizationId }));
  return (
    <Page title="Credits">
      {balance.isPending ? (
        <Loading />
      ) : balance.error ? (
        <ErrorState error={balance.error} />
      ) : (
        <dl className="facts">
          <dt>Balance</dt>
          <dd data-testid="balance">
            {credits(balance.data.balance)} {balance.data.currency}
          </dd>
          <dt>Available</dt>
          <dd>
            {credits(balance.data.available)}
            {balance.data.held ? ` (${credits(balance.data.held)} held)` : ''}
          </dd>
          <dt>Total used</dt>
          <dd>{credits(balance.data.totalUsed)}</dd>
          <dt>Total purchased</dt>
          <dd>{credits(balance.data.totalPurchased)}</dd>
        </dl>
      )}
      <UsageChart organizationId={organizationId} />
      <Transactions organizationId={organizationId} />
      {session.user?.platform ? <GrantForm organizationId={organizationId} /> : null}
    </Page>
  );
}

/** The local calendar day of a moment, as YYYY-MM-DD. */
const dayOf = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function UsageChart({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const client = useGatehouse();
  const usage = useQuery({
    // Under the transactions' key, so whatever refreshes the ledger refreshes the chart too.
    queryKey: [...gh.credits.transactions.pathKey(), 'usage-by-day', organizationId],
    queryFn: async () => {
      const start = new Date();
      start.setHours(0, 0, 0, 0);
      start.setDate(start.getDate() - (DAYS - 1));
      const days = Array.from({ length: DAYS }, (_, i) => {
        const d = new Date(start);
        d.setDate(start.getDate() + i);
        return { day: dayOf(d), label: d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }), used: 0 };
      });
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.trpc.credits.transactions.query({
          organizationId,
          type: 'usage',
          since: start,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const t of page.items) {
          const bucket = days.find((d) => d.day === dayOf(t.createdAt));
          if (bucket) bucket.used += -t.amount;
        }
        cursor = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
        pages += 1;
      } while (cursor && pages < CHART_PAGES);
      // Summing floats drifts past the ledger's 6 decimals; round back to them.
      for (const d of days) d.used = Math.round(d.used * 1e6) / 1e6;
      return { days, complete: !cursor };
    },
  });

  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage, last {DAYS} days</h2>
      {usage.isPending ? (
        <Loading />
      ) : usage.error ? (
        <ErrorState error={usage.error} />
      ) : (
        <>
          <BarChart days={usage.data.days} />
          {usage.data.complete ? null : (
            <p className="muted">More debits than the chart reads: the oldest days show only part of their use.</p>
          )}
          {usage.data.days.some((d) => d.used > 0) ? (
            <ScrollBox label="Credits used per day">
              <table className="compact">
                <caption>Credits used per day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Credits used</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.data.days
                    .filter((d) => d.used > 0)
                    .map((d) => (
                      <tr key={d.day}>
                        <td>{d.label}</td>
                        <td>{credits(d.used)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </ScrollBox>
          ) : (
            <Empty>No credits were used in the last {DAYS} days.</Empty>
          )}
        </>
      )}
    </section>
  );
}

function BarChart({ days }: { days: { day: string; label: string; used: number }[] }) {
  const width = 600;
  const height = 160;
  const gap = 2;
  const max = Math.max(...days.map((d) => d.used), 0);
  const bar = width / days.length;
  const total = days.reduce((sum, d) => sum + d.used, 0);
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${height + 20}`}
      role="img"
      aria-labelledby="usage-chart-title usage-chart-desc"
    >
      <title id="usage-chart-title">Credits used per day</title>
      <desc id="usage-chart-desc">
        {credits(Math.round(total * 1e6) / 1e6)} credits used from {days[0]?.label} to {days.at(-1)?.label}; the busiest
        day used {credits(max)}.
      </desc>
      <line x1={0} y1={height} x2={width} y2={height} className="chart-axis" />
      {days.map((d, i) => {
        const h = max > 0 ? (d.used / max) * (height - 10) : 0;
        return (
          <rect
            key={d.day}
            className="chart-bar"
            data-day={d.day}
            data-used={d.used}
            x={i * bar + gap / 2}
            y={height - h}
            width={bar - gap}
            height={h}
          >
            <title>
              {d.label}: {credits(d.used)}
            </title>
          </rect>
        );
      })}
      <text x={0} y={height + 16} className="chart-label">
        {days[0]?.label}
      </text>
      <text x={width} y={height + 16} textAnchor="end" className="chart-label">
        {days.at(-1)?.label}
      </text>
    </svg>
  );
}

function Transactions({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const [type, setType] = useState<TransactionType | ''>('');
  const { cursor, pager } = useCursors(type);
  const list = useQuery(
    gh.credits.transactions.queryOptions({
      organizationId,
      limit: 20,
      ...(type ? { type } : {}),
      ...(cursor ? { cursor } : {}),
    }),
  );
  return (
    <section aria-labelledby="transactions-title">
      <h2 id="transactions-title">Transactions</h2>
      <div className="filters">
        <SelectField
          label="Type"
          name="type"
          value={type}
          onChange={(e) => setType(e.target.value as TransactionType | '')}
        >
          <option value="">All</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No {type ? `${type} ` : ''}transactions.</Empty>
      ) : (
        <ScrollBox label="Credit transactions">
          <table>
            <caption className="visually-hidden">Credit transactions</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Type</th>
                <th scope="col">Amount</th>
                <th scope="col">Balance after</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id}>
                  <td>{when(t.createdAt)}</td>
                  <td>{t.type}</td>
                  <td className={t.amount < 0 ? 'debit' : 'credit'}>
                    {t.amount > 0 ? '+' : ''}
                    {credits(t.amount)}
                  </td>
                  <td>{credits(t.balanceAfter)}</td>
                  <td>{t.reason ?? t.reference ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(list.data)} />
    </section>
  );
}

function GrantForm({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  // One key per intended grant: a double submit is the same grant, a new one after success is new.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const grant = useMutation(
    gh.credits.grant.mutationOptions({
      onSuccess: () => {
        setIdempotencyKey(crypto.randomUUID());
        return queryClient.invalidateQueries({ queryKey: gh.credits.pathKey() });
      },
    }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { amount = '', type = 'grant', reference = '' } = formValues(event.currentTarget);
    grant.mutate({
      organizationId,
      amount: Number(amount),
      type: type as 'purchase' | 'grant' | 'adjustment',
      idempotencyKey,
      ...(reference ? { reference } : {}),
    });
  };
  return (
    <section aria-labelledby="grant-title">
      <h2 id="grant-title">Add credits (platform)</h2>
      <form className="narrow" onSubmit={onSubmit}>
        <Field label="Amount" name="amount" inputMode="decimal" required error={grant.error} />
        <SelectField label="Kind" name="type" error={grant.error}>
          <option value="grant">Grant</option>
          <option value="purchase">Purchase</option>
          <option value="adjustment">Adjustment (may be negative)</option>
        </SelectField>
        <Field label="Reference" name="reference" error={grant.error} />
        <Alert>{formErrorOf(grant.error, ['amount', 'type', 'reference'])}</Alert>
        <Alert tone="success">{grant.isSuccess ? 'Credits added.' : null}</Alert>
        <button type="submit" className="primary" disabled={grant.isPending}>
          Add credits
        </button>
      </form>
    </section>
  );
}
