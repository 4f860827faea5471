// A reference for the ingest benchmark: Express 5 with express.json() and one knex INSERT per request on
// SQLite (WAL, synchronous=FULL as Rapport), no batching. It shows what one durable write per request
// costs on the machine at hand, next to bare Express: how far the stack itself lets the ratio go.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const express = require('express');
const knex = require('knex');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-one-insert-'));
const db = knex({
  client: 'sqlite3',
  connection: { filename: path.join(dir, 'one-insert.sqlite') },
  useNullAsDefault: true,
  pool: {
    min: 1,
    max: 1,
    afterCreate: (conn, done) => conn.run('PRAGMA journal_mode = WAL', (error) => (error ? done(error, conn) : conn.run('PRAGMA synchronous = FULL', (e) => done(e, conn)))),
  },
});

async function main() {
  await db.schema.createTable('interactions', (t) => {
    t.increments('id');
    t.string('external_id').notNullable().unique();
    t.text('body').notNullable();
  });
  const app = express();
  app.use(express.json({ limit: '64kb' }));
  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.post('/api/v1/interactions', async (req, res) => {
    const [row] = await db('interactions').insert({ external_id: req.body.external_id, body: JSON.stringify(req.body) }).returning('id');
    res.status(201).json({ id: row.id, external_id: req.body.external_id, duplicate: false });
  });
  const server = app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => db.destroy().then(() => fs.rmSync(dir, { recursive: true, force: true }))));
}

void main();
