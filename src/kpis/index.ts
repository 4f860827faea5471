/** The kpis domain as other domains use it: rollup writers for the changes that move KPIs, and the rebuild. */
export { addInteractionsToRollups, addSentSurveysToRollups, moveAnswersInRollups, rollupZoneForNewInteractions, type RollupInteraction } from './update-rollups';
export { rebuildRollups, type RebuildSummary } from './rebuild-rollups';
export { checkRollups } from './check-rollups';
export { computeKpis } from './compute-kpis';
export { computeKpisFromRawRows } from './compute-kpis-raw';
export type { GroupKey, KpiGroup, KpiReport } from './kpi-report';
