/** `npm run bench`: every benchmark in turn (run on an otherwise idle machine). */
import { benchIngest } from './ingest/run';
import { printTable } from './lib';
import { benchMail } from './mail/run';

async function main(): Promise<void> {
  const ingest = await benchIngest();
  printTable('ingest: POST /api/v1/interactions, 50 connections, unique triggers', ingest.bare, [ingest.rapport]);
  await benchMail();
}

void main();
