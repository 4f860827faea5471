/** `npm run bench`: every benchmark in turn (run on an otherwise idle machine). */
import { benchIngest, printIngest } from './ingest/run';
import { benchKpis, printKpiTable } from './kpis/run';
import { benchMail } from './mail/run';
import { benchSurveyPage, printSurveyPage } from './survey-page/run';

async function main(): Promise<void> {
  printIngest('ingest: POST /api/v1/interactions, 50 connections, unique triggers', await benchIngest());
  // The rollups' cost on the write path, measured in this run: the same load with rollup upkeep off.
  printIngest('ingest without rollup upkeep', await benchIngest({}, 'Rapport, without rollup upkeep', { withoutRollups: true }));
  printKpiTable(await benchKpis());
  printSurveyPage('survey page: GET /s/<token>, 50 connections', await benchSurveyPage());
  await benchMail();
}

void main();
