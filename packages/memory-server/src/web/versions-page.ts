import {
  regressionFlaggedAt,
  type KeyInsights,
  type OutcomeFacts,
  type RegressionFlagged,
} from '@temporal-stompy/insights';
import { MAX_BROWSE_LIMIT } from '../store/outcome-browser';
import { html, type Html } from './html';
import { versionTable } from './key-profile';
import { insightsOf, type PageContext } from './page-context';
import { linkIn, pageLayout } from './page-layout';

/** Most outcomes replayed to find when a regression fired: it fires within tens of runs of its build. */
const MAX_REPLAYED = 5_000;
const HOUR_MS = 3_600_000;

/**
 * When a key's regression was first flagged: its outcomes from the regressed build's first hour,
 * oldest first, replayed by `regressionFlaggedAt` (at most {@link MAX_REPLAYED} of them).
 */
async function flaggedAt(
  ctx: PageContext,
  insights: KeyInsights,
  baseRuns: number,
  baseFailures: number,
): Promise<RegressionFlagged | undefined> {
  const regression = insights.regression;
  const regressed = insights.versions.find((v) => v.version === regression?.version);
  if (regression === undefined || regressed === undefined) return undefined;
  const facts: OutcomeFacts[] = [];
  let after = {
    hour: Math.floor(Date.parse(regressed.firstSeen) / HOUR_MS) - 1,
    id: Number.MAX_SAFE_INTEGER,
  };
  while (facts.length < MAX_REPLAYED) {
    const page = await ctx.store.outcomes.outcomes({
      project: ctx.frame.project,
      key: insights.key,
      order: 'oldest',
      after,
      limit: MAX_BROWSE_LIMIT,
    });
    facts.push(...page.outcomes.map((o) => o.facts));
    const flagged = regressionFlaggedAt(
      insights.key,
      regression,
      insights.versions,
      { runs: baseRuns, failures: baseFailures },
      facts,
    );
    if (flagged !== undefined) return flagged;
    if (page.next === undefined) return undefined;
    after = page.next;
  }
  return undefined;
}

/**
 * Version health (`/versions`): for each activity and workflow type, the failure rate per worker build
 * or deployment version in the order they appeared, the regression flag, and when it was first flagged.
 */
export async function versionsPage(ctx: PageContext): Promise<Html> {
  const project = ctx.frame.project;
  const keys = [
    ...(await ctx.store.outcomes.keys(project, 'activity', MAX_BROWSE_LIMIT)).keys,
    ...(await ctx.store.outcomes.keys(project, 'workflow', MAX_BROWSE_LIMIT)).keys,
  ].map((k) => k.key);
  const { base, insights } = await insightsOf(ctx, keys);
  const withVersions = insights
    .filter((i) => i.versions.length > 0)
    .sort((a, b) => Number(b.regression !== undefined) - Number(a.regression !== undefined));
  const sections: Html[] = [];
  for (const i of withVersions) {
    const fired = await flaggedAt(ctx, i, base.runs, base.failures);
    sections.push(
      html`<section class="version-health" data-key="${i.key}">
        <h2><a href="${linkIn(ctx.frame, '/key', { key: i.key })}">${i.key}</a></h2>
        ${versionTable(i, fired)}
      </section>`,
    );
  }
  const content =
    sections.length === 0
      ? html`<section>
          <p class="muted">No outcome carries a worker build id or deployment version yet.</p>
        </section>`
      : html`${sections}`;
  return pageLayout(ctx.frame, 'versions', 'Version health', content);
}
