/** The demo data loader, as other modules use it (`rapport demo`). */
export { loadDemo, DEMO_SOURCE, type DemoProgress, type DemoSummary, type LoadDemoOptions } from './load-demo';
export { createDemoModel, type DemoInteraction, type DemoModel, type DemoPlan } from './demo-model';
export { defaultAgentCount } from './demo-directory';
export { DemoAlreadyLoaded } from './errors';
