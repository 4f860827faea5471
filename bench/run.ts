/** `npm run bench`: every benchmark in turn (run on an otherwise idle machine). */
import { benchIngest } from './ingest/run';
import { printTable } from './lib';
import { benchMail } from './mail/run';
import { benchSurveyPage } from './survey-page/run';

async function main(): Promise<void> {
  const ingest = await benchIngest();
  printTable('ingest: POST /api/v1/interactions, 50 connections, unique triggers', ingest.bare, [ingest.rapport]);
  const page = await benchSurveyPage();
  printTable('survey page: GET /s/<token>, 50 connections', page.bare, [page.rapport]);
  await benchMail();
}

void main();
